"""Feeds: Atom and RSS that feedparser reads cleanly; partners-only items carry the teaser only."""

from __future__ import annotations

import feedparser

from kommunepartner.access.rules import Access
from kommunepartner.base.schema import a_datetime
from kommunepartner.content.items import Item
from kommunepartner.outputs.discovery import SiteInfo
from kommunepartner.outputs.feeds import (
    MAX_ENTRIES,
    feed_entry,
    render_atom,
    render_rss,
    site_feeds,
)

SITE = SiteInfo("Kommunepartner", "https://kp.example.org", "Initiativ Vest", "nn")
NOW = a_datetime("2026-11-30 12:00")


def item(slug: str, section: str = "briefs", date: str = "2026-03-01", **meta) -> Item:
    m = {"title": f"Tittel {slug} æøå", "date": a_datetime(date), "summary": f"Samandrag {slug}"}
    return Item(section, f"content/{section}/{slug}.md", slug, m | meta, "", 1, "nn")


def entries():
    return [
        feed_entry(
            item("open", topics=["energi"]),
            Access("public"),
            "https://x/notat/open/",
            "<p>Open body</p>",
        ),
        feed_entry(
            item("locked", date="2026-04-01", topics=["energi"]),
            Access("partners"),
            "https://x/notat/locked/",
            "<p>SEALED</p>",
        ),
        feed_entry(
            item("ev", "events", date="2026-05-01"),
            Access("public"),
            "https://x/arrangement/ev/",
            "<p>Event body</p>",
        ),
    ]


def feeds():
    sections = {
        "briefs": ("notat/", "Notat"),
        "events": ("arrangement/", "Arrangement"),
        "newsletters": ("perspektiv/", "Perspektiv"),
    }
    return {
        f.dir: f
        for f in site_feeds(
            entries(), "Alt", sections, {"energi": ("tema/energi/", "Tema: energi")}
        )
    }


def test_feeds_for_site_sections_and_topics():
    f = feeds()
    assert set(f) == {"", "notat/", "arrangement/", "perspektiv/", "tema/energi/"}
    assert [e.item.slug for e in f[""].entries] == ["ev", "locked", "open"]  # newest first
    assert [e.item.slug for e in f["notat/"].entries] == ["locked", "open"]
    assert [e.item.slug for e in f["tema/energi/"].entries] == ["locked", "open"]
    assert f["perspektiv/"].entries == ()


def test_both_formats_parse_cleanly_and_partners_only_has_the_summary_only():
    for render, version in ((render_atom, "atom10"), (render_rss, "rss20")):
        parsed = feedparser.parse(render(feeds()[""], SITE, NOW))
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        assert parsed.version == version
        by_link = {e.link: e for e in parsed.entries}
        assert set(by_link) == {
            "https://x/notat/open/",
            "https://x/notat/locked/",
            "https://x/arrangement/ev/",
        }
        locked = by_link["https://x/notat/locked/"]
        assert locked.summary == "Samandrag locked" and "content" not in locked
        assert by_link["https://x/notat/open/"].content[0].value == "<p>Open body</p>"
        assert parsed.feed.title == "Alt"
        assert by_link["https://x/notat/open/"].title == "Tittel open æøå"


def test_the_feed_links_to_its_page_and_itself():
    parsed = feedparser.parse(render_rss(feeds()["notat/"], SITE, NOW))
    assert parsed.feed.link == "https://kp.example.org/notat/"
    atom = feedparser.parse(render_atom(feeds()["notat/"], SITE, NOW))
    assert {(link.rel, link.href) for link in atom.feed.links} == {
        ("alternate", "https://kp.example.org/notat/"),
        ("self", "https://kp.example.org/notat/atom.xml"),
    }


def test_a_feed_holds_at_most_the_newest_entries():
    many = [
        feed_entry(
            item(f"n{i}", date=f"2026-01-01 {i // 60:02d}:{i % 60:02d}"),
            Access("public"),
            f"https://x/notat/n{i}/",
            "",
        )
        for i in range(MAX_ENTRIES + 5)
    ]
    (site,) = site_feeds(many, "Alt", {}, {})
    assert len(site.entries) == MAX_ENTRIES and site.entries[0].item.slug == f"n{MAX_ENTRIES + 4}"
