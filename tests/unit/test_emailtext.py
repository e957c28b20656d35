"""Markdown bodies made fit for email, and their plain-text form."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kommunepartner.mail.emailhtml import email_fragment, markdown_to_html, relative_urls
from kommunepartner.mail.plaintext import Links, html_to_text

BASE = "https://kommunepartnar.example.org/notat/x/"


def resolve(link: str) -> str | None:
    if link.startswith(("https://", "mailto:")):
        return link
    if link.startswith("javascript:"):
        return None
    return BASE + link


def fragment(markdown: str, source: str = ""):
    return email_fragment(markdown_to_html(markdown), resolve, ("x.md", 5), source or markdown)


def test_links_and_images_become_absolute_and_styled():
    f = fragment("Sjå [notatet](del-2/) og ![Kart](kart.png)")
    assert f'href="{BASE}del-2/"' in f.html and f'src="{BASE}kart.png"' in f.html
    assert 'style="color:#0b4f6c;text-decoration:underline;"' in f.html
    assert relative_urls(f.html) == [] and f.problems == []


def test_problems_name_the_file_line_of_the_image_or_link():
    source = "Første linje\n\n![](bilete.png)\n\n[klikk](javascript:alert(1))"
    f = fragment(source)
    assert [str(p) for p in f.problems] == [
        "x.md:7:1: body: the image 'bilete.png' has no alt text — write what it shows:"
        " ![Kart over Vestland](bilete.png)",
        "x.md:9:1: body: the link 'javascript:alert(1)' cannot be made into a full web address"
        " for email — write it in full (https://…) or link to a file in content/",
    ]


def test_headings_move_below_the_emails_own_and_scripts_are_dropped():
    f = fragment("# Stor\n\n## Mindre\n\n<script>alert('x')</script>\n\nTekst & meir <b>feit</b>")
    assert "<h1" not in f.html and "<h3" in f.html and "<h2" not in f.html
    assert "script" not in f.html and "alert" not in f.html
    assert "Tekst &amp; meir <b>feit</b>" in f.html


def test_plain_text_numbers_links_and_keeps_lists_tight():
    links = Links()
    html = fragment(
        "Les [a](https://a.example/) og [b](https://b.example/), så [a](https://a.example/) igjen.\n\n"
        "- ein\n- to\n\nSå:\n\n1. første\n\n2. andre, laus liste\n\n> sitat\n\nSkriv til [oss](mailto:post@example.org)."
    ).html
    text = html_to_text(html, links)
    assert "Les a [1] og b [2], så a [1] igjen." in text
    assert "- ein\n- to\n\nSå:\n\n1. første\n2. andre, laus liste\n\n> sitat" in text
    assert "oss (post@example.org)" in text
    assert links.listing() == "[1] https://a.example/\n[2] https://b.example/"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_markdown_becomes_text_without_tags_or_crashes(markdown):
    f = email_fragment(markdown_to_html(markdown), resolve, ("x.md", 1), markdown)
    text = html_to_text(f.html, Links())
    assert ("<" in text) <= ("<" in markdown)  # tags never leak into the text
