"""Atom and RSS 2.0 feeds (feedgen) for the whole site, each section and each topic.

Access is decided here, not in Pelican: a partners-only item carries its title, link, date and
summary (the public teaser), never its body.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from feedgen.feed import FeedGenerator

from .access import Access
from .content import Item
from .discovery import FeedLink, SiteInfo, absolute, teaser
from .listing import newest_first

MAX_ENTRIES = 50
ATOM = "atom.xml"
RSS = "rss.xml"


@dataclass(frozen=True)
class FeedEntry:
    """One published item as a feed shows it."""

    item: Item
    url: str  # absolute
    content_html: str  # the body; '' for a partners-only item

    @property
    def topics(self) -> list[str]:
        return self.item.meta.get("topics", [])


def feed_entry(item: Item, access: Access, url: str, body_html: str) -> FeedEntry:
    """The entry of one item: a partners-only item keeps its teaser and loses its body."""
    return FeedEntry(item, url, "" if access.partners_only else body_html)


@dataclass(frozen=True)
class Feed:
    """One feed: where it lives (`dir` + atom.xml / rss.xml), its title and the page it follows."""

    dir: str  # '' for the whole site, 'notat/', 'tema/energi/'
    title: str
    page: str  # path of the HTML page the feed follows
    entries: tuple[FeedEntry, ...]

    @property
    def atom_path(self) -> str:
        return f"{self.dir}{ATOM}"

    @property
    def rss_path(self) -> str:
        return f"{self.dir}{RSS}"


def _newest(entries: Sequence[FeedEntry]) -> tuple[FeedEntry, ...]:
    by_id = {id(e.item): e for e in entries}
    return tuple(by_id[id(i)] for i in newest_first(e.item for e in entries))[:MAX_ENTRIES]


def site_feeds(
    entries: Sequence[FeedEntry],
    site_title: str,
    sections: dict[str, tuple[str, str]],
    topics: dict[str, tuple[str, str]],
) -> list[Feed]:
    """The site's feed, one per section and one per topic in use.

    `sections` maps a section (briefs, newsletters, events) to (dir, title); `topics` maps a topic
    to (dir, title). A section or topic without entries still gets its (empty) feed, so a
    subscription made today keeps working.
    """
    feeds = [Feed("", site_title, "", _newest(entries))]
    for section, (folder, title) in sections.items():
        chosen = [e for e in entries if e.item.section == section]
        feeds.append(Feed(folder, title, folder, _newest(chosen)))
    for topic, (folder, title) in topics.items():
        chosen = [e for e in entries if topic in e.topics]
        feeds.append(Feed(folder, title, folder, _newest(chosen)))
    return feeds


def _generator(feed: Feed, site: SiteInfo, now: datetime, self_path: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(absolute(site.url, feed.atom_path))
    fg.title(feed.title)
    fg.subtitle(f"{site.name} – {site.publisher}")
    # feedgen takes RSS's <link> from the last link given: the page, not the feed itself.
    fg.link(href=absolute(site.url, self_path), rel="self")
    fg.link(href=absolute(site.url, feed.page), rel="alternate")
    fg.language(site.lang)
    fg.author({"name": site.publisher})
    fg.generator("Kommunepartner")
    fg.updated(now)
    for e in feed.entries:
        item = e.item
        fe = fg.add_entry(order="append")
        fe.id(e.url)
        fe.guid(e.url, permalink=True)
        fe.title(item.title)
        fe.link(href=e.url)
        fe.published(item.date)
        fe.updated(item.date)
        if teaser(item):
            fe.summary(teaser(item))
        if e.content_html:
            fe.content(e.content_html, type="html")
        for name in item.meta.get("authors") or [site.publisher]:
            fe.author({"name": name})
        for topic in e.topics:
            fe.category(term=topic)
    return fg


def render_atom(feed: Feed, site: SiteInfo, now: datetime) -> bytes:
    return _generator(feed, site, now, feed.atom_path).atom_str(pretty=True)


def render_rss(feed: Feed, site: SiteInfo, now: datetime) -> bytes:
    return _generator(feed, site, now, feed.rss_path).rss_str(pretty=True)


def feed_links(feed: Feed, site: SiteInfo) -> tuple[FeedLink, FeedLink]:
    """The two <link rel="alternate"> entries a page uses to announce a feed."""
    return (
        FeedLink(
            f"{feed.title} (Atom)", absolute(site.url, feed.atom_path), "application/atom+xml"
        ),
        FeedLink(f"{feed.title} (RSS)", absolute(site.url, feed.rss_path), "application/rss+xml"),
    )
