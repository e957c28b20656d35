"""Markdown rendered ahead on every core gives the same HTML, and a rebuild converts only edits."""

from __future__ import annotations

import textwrap

from markdown import Markdown

import pelicanconf
from bench.corpus import generate
from kommunepartner.build import prerender
from kommunepartner.build.prerender import MarkdownCache, cache_for
from kommunepartner.content.items import split_front_matter

TRICKY = textwrap.dedent(
    """\
    Merk: a first line that looks like metadata stays in the body.

    ## Tabell {#tabell .wide}

    | a | b |
    | --- | ---: |
    | 1 | 2 |

    Ein fotnote[^1] og -- strek... og "sitat".

    [^1]: Kjelde.
    """
)


def bodies(tmp_path) -> list[str]:
    corpus = generate(10, tmp_path)
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.content.rglob("*.md"))]
    return [split_front_matter(t, "x")[1] for t in texts] + [TRICKY, TRICKY.replace("1", "7")]


def test_parallel_prerender_equals_a_fresh_markdown_per_body(tmp_path, monkeypatch):
    monkeypatch.setattr(prerender, "PARALLEL_FROM", 0)
    cache = MarkdownCache(pelicanconf.MARKDOWN)
    texts = bodies(tmp_path)
    assert cache.prerender(texts, workers=2) == len(texts)
    for body in texts:
        assert cache.html(body) == Markdown(**pelicanconf.MARKDOWN).convert(body)
    assert cache.converted == len(texts)  # html() found every body; nothing converted twice
    assert "<p>Merk: a first line" in cache.html(TRICKY)  # no `meta` extension eats it


def test_a_second_prerender_converts_only_new_bodies_and_forgets_old_ones(tmp_path):
    cache = MarkdownCache(pelicanconf.MARKDOWN)
    texts = bodies(tmp_path)
    cache.prerender(texts, workers=1)
    edited = [*texts[1:], texts[0] + "\nEit nytt avsnitt.\n"]
    assert cache.prerender(edited, workers=1) == 1
    assert cache.converted == 1
    assert "Eit nytt avsnitt" in cache.html(edited[-1]) and cache.converted == 1
    cache.html(texts[0])  # the old body was dropped: converting it again is counted
    assert cache.converted == 2


def test_a_rebuild_in_one_process_converts_only_the_edited_brief(site):
    brief = '---\ntitle: "Notat {n}"\ndate: 2026-01-0{n}\nsummary: "Kort."\n---\n\nTekst {n}.\n'
    unique = site.root.name  # the cache lives as long as the process: no body from another test
    site.write({f"briefs/notat-{n}.md": brief.format(n=n) + unique for n in (1, 2, 3)})
    site.build()
    cache = cache_for(pelicanconf.MARKDOWN)
    assert cache.converted == 3
    path = site.content / "briefs" / "notat-2.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nRetta.\n", encoding="utf-8")
    site.build()
    assert cache.converted == 1
    page = (site.output / "notat" / "notat-2" / "index.html").read_text(encoding="utf-8")
    assert "Retta." in page
