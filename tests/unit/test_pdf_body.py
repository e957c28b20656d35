"""A brief made ready for print: footnotes at their references, links absolute; the PDF cache."""

from __future__ import annotations

import os
import time

from markdown import Markdown

from kommunepartner.outputs.pdf import KEEP_UNUSED, PdfCache, css_string, print_body

TEXT = """Første[^a] setning, med [ei lenkje](../andre/) og [eit anker](#x).

Andre[^b] og igjen[^a].

[^a]: Notat *a*, med [kjelde](https://example.org/k).
[^b]: Notat b.

    Andre avsnitt i b.
"""


def test_footnotes_move_to_their_reference_and_links_become_absolute():
    body = Markdown(extensions=["footnotes"], output_format="html5").convert(TEXT)
    out = print_body(body, "https://example.org/notat/x/")
    assert 'class="footnote"' in out and "footnote-backref" not in out and "<hr" not in out
    first = out.index(
        '<span class="footnote">Notat <em>a</em>, med <a href="https://example.org/k">'
    )
    assert out.index("Første") < first < out.index("setning")
    assert '<span class="footnote">Notat b.<br>Andre avsnitt i b.</span>' in out
    assert out.count('class="footnote"') == 2  # the second reference to a is not set twice
    assert 'href="https://example.org/notat/andre/"' in out
    assert "<a>eit anker</a>" in out  # an anchor means nothing on paper


def test_css_strings_cannot_close_the_rule():
    assert css_string("Policy brief 2026:1") == '"Policy brief 2026:1"'
    assert css_string('a"}</style>') == '"a\\22 \\7d \\3c /style\\3e "'


def test_the_cache_keeps_what_a_build_used_and_prunes_the_long_unused(tmp_path):
    cache = PdfCache(tmp_path / "pdf")
    cache.put("a", b"%PDF-a")
    cache.put("b", b"%PDF-b")
    assert oct(cache.path("a").stat().st_mode & 0o777) == "0o644"  # served as it is
    assert cache.keep_only({"a"}) == 0  # b is recent: another build may still use it
    old = time.time() - KEEP_UNUSED - 60
    os.utime(cache.path("b"), (old, old))
    os.utime(cache.path("a"), (old, old))
    assert cache.keep_only({"a"}) == 1 and cache.has("a") and not cache.has("b")
