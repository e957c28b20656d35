"""Atom and RSS 2.0 feeds (feedgen) for the whole site, each section and each topic.

Access is decided here, not in Pelican: a partners-only item carries its title, link, date and
summary (the public teaser), never its body.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from feedgen.util import formatRFC2822

from kommunepartner.access.rules import Access
from kommunepartner.base.parts import Part, fresh
from kommunepartner.content.items import Item
from kommunepartner.outputs.discovery import FeedLink, SiteInfo, absolute, teaser
from kommunepartner.outputs.listing import newest_first

MAX_ENTRIES = 50
ATOM = "atom.xml"
RSS = "rss.xml"


@dataclass(frozen=True)
class FeedEntry:
    """One published item as a feed shows it."""

    item: Item
    url: str  # absolute
    content_html: str  # the body; '' for a partners-only item
    number: str = ""  # 'Temanotat 2026:4' for a brief in a series

    @property
    def topics(self) -> list[str]:
        return self.item.meta.get("topics", [])


def feed_entry(item: Item, access: Access, url: str, body_html: str, number: str = "") -> FeedEntry:
    """The entry of one item: a partners-only item keeps its teaser and loses its body."""
    return FeedEntry(item, url, "" if access.partners_only else body_html, number)


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
    groups: dict[str, tuple[str, frozenset[str]]] | None = None,
) -> list[Feed]:
    """The site's feed, one per section, one per topic in use, and one per group.

    `sections` maps a section (briefs, newsletters, events) to (dir, title); `topics` maps a topic
    to (dir, title); `groups` maps a dir to (title, the keys of its items): a series, a
    municipality. A feed without entries is still made, so a subscription made today keeps working.
    """
    feeds = [Feed("", site_title, "", _newest(entries))]
    for section, (folder, title) in sections.items():
        chosen = [e for e in entries if e.item.section == section]
        feeds.append(Feed(folder, title, folder, _newest(chosen)))
    for topic, (folder, title) in topics.items():
        chosen = [e for e in entries if topic in e.topics]
        feeds.append(Feed(folder, title, folder, _newest(chosen)))
    for folder, (title, keys) in (groups or {}).items():
        chosen = [e for e in entries if e.item.key in keys]
        feeds.append(Feed(folder, title, folder, _newest(chosen)))
    return feeds


@dataclass(frozen=True)
class EntryFacts:
    """Everything a feed shows of one entry: equal facts (and equal date text) give equal XML."""

    url: str
    title: str
    date: datetime
    summary: str
    content_html: str
    authors: tuple[str, ...]
    topics: tuple[str, ...]

    @classmethod
    def of(cls, entry: FeedEntry, publisher: str) -> EntryFacts:
        item = entry.item
        authors = tuple(item.meta.get("authors") or [publisher])
        return cls(
            entry.url,
            f"{item.title} ({entry.number})" if entry.number else item.title,
            item.date,
            teaser(item),
            entry.content_html,
            authors,
            tuple(entry.topics),
        )


def _generator(
    feed: Feed, entries: Sequence[EntryFacts], site: SiteInfo, now: datetime, self_path: str
) -> FeedGenerator:
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
    for e in entries:
        fe = fg.add_entry(order="append")
        fe.id(e.url)
        fe.guid(e.url, permalink=True)
        fe.title(e.title)
        fe.link(href=e.url)
        fe.published(e.date)
        fe.updated(e.date)
        if e.summary:
            fe.summary(e.summary)
        if e.content_html:
            fe.content(e.content_html, type="html")
        for name in e.authors:
            fe.author({"name": name})
        for topic in e.topics:
            fe.category(term=topic)
    return fg


# A feed is rendered once with this time as its own `updated`, which each build replaces.
_SLOT = datetime(1970, 1, 1, tzinfo=UTC)
# Where feedgen writes the feed's own time: before any entry, in the text of this element.
_UPDATED = {
    "atom": lambda t: f"<updated>{t.isoformat()}</updated>".encode(),
    "rss": lambda t: f"<lastBuildDate>{formatRFC2822(t)}</lastBuildDate>".encode(),
}


def _render(kind: str, feed: Feed, entries: Sequence[EntryFacts], site: SiteInfo) -> bytes:
    path = feed.atom_path if kind == "atom" else feed.rss_path
    fg = _generator(feed, entries, site, _SLOT, path)
    data = fg.atom_str(pretty=True) if kind == "atom" else fg.rss_str(pretty=True)
    if _UPDATED[kind](_SLOT) not in data:
        raise ValueError(f"feedgen wrote no feed time into {path}")
    return data


def render_feed(kind: str, feed: Feed, site: SiteInfo, now: datetime, part: Part = fresh) -> bytes:
    """The Atom (`kind` "atom") or RSS 2.0 ("rss") document of one feed, updated `now`.

    Rendered by feedgen with a stand-in time, through `part`, which may give it from an earlier
    build; the feed's own time is then put in place of the stand-in.
    """
    entries = tuple(EntryFacts.of(e, site.publisher) for e in feed.entries)
    dates = tuple(e.date.isoformat() for e in entries)
    key = ("feed", kind, feed.dir, feed.title, feed.page, site, entries, dates)
    data = part(key, lambda: _render(kind, feed, entries, site))
    return data.replace(_UPDATED[kind](_SLOT), _UPDATED[kind](now), 1)


def render_atom(feed: Feed, site: SiteInfo, now: datetime, part: Part = fresh) -> bytes:
    return render_feed("atom", feed, site, now, part)


def render_rss(feed: Feed, site: SiteInfo, now: datetime, part: Part = fresh) -> bytes:
    return render_feed("rss", feed, site, now, part)


def feed_links(feed: Feed, site: SiteInfo) -> tuple[FeedLink, FeedLink]:
    """The two <link rel="alternate"> entries a page uses to announce a feed."""
    return (
        FeedLink(
            f"{feed.title} (Atom)", absolute(site.url, feed.atom_path), "application/atom+xml"
        ),
        FeedLink(f"{feed.title} (RSS)", absolute(site.url, feed.rss_path), "application/rss+xml"),
    )
