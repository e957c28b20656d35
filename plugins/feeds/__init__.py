"""Pelican plugin: Atom and RSS feeds of the site, each section, topic, series and place (access-aware)."""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals

from kommunepartner.base.i18n import catalogue
from kommunepartner.build.context import PartMemo, context_of
from kommunepartner.build.pages import FEED_LINKS, DiscoverySettings, published_contents
from kommunepartner.build.publications import publications
from kommunepartner.outputs.discovery import absolute
from kommunepartner.outputs.feeds import feed_entry, feed_links, render_atom, render_rss, site_feeds

log = logging.getLogger(__name__)

# A preview server rebuilds in one process: only feeds whose entries changed are rendered again.
_PARTS = PartMemo()


def _number(c) -> str:
    """A brief's series number, in the site's written standard (feeds have one language)."""
    ctx = context_of(c.settings)
    number = ctx.site.numbers.get(c.metadata["kp_item"].key)
    return number.label(catalogue(ctx.config.default_lang)) if number else ""


def write_feeds(generators) -> None:
    """Write every feed, and hand the head template the links each page announces."""
    first = generators[0]
    settings = DiscoverySettings.from_settings(first.settings)
    site = settings.site
    # The time of the latest change the clock made, not the build's: same site, same bytes.
    stamp = context_of(first.settings).revision
    t = catalogue(site.lang)
    entries = [
        feed_entry(
            c.metadata["kp_item"],
            c.metadata["kp_access"],
            absolute(site.url, c.url),
            c.content,  # dropped by the core for a partners-only item (already sealed anyway)
            _number(c),
        )
        for c in published_contents(generators)
        if c.metadata["kp_item"].section in settings.section_dirs
    ]
    sections = {
        section: (folder, f"{site.name} – {t[f'section_{section}']}")
        for section, folder in settings.section_dirs.items()
    }
    topics = {
        tag.name: (tag.url, f"{site.name} – {t['feed_topic']}: {tag.name}")
        for tag, _ in first.context.get("tags", [])
    }
    groups = {
        page.path: (
            f"{site.name} – {page.title if page.kind == 'series' else t['place_feed_title'].format(name=page.title)}",
            frozenset(c.metadata["kp_item"].key for c in page.contents),
        )
        for page in publications(generators).pages
        if page.feed
    }
    feeds = site_feeds(entries, f"{site.name} – {t['feed_site']}", sections, topics, groups)
    out = Path(first.output_path)
    with _PARTS.build(first.settings) as part:
        for feed in feeds:
            (out / feed.dir).mkdir(parents=True, exist_ok=True)
            (out / feed.atom_path).write_bytes(render_atom(feed, site, stamp, part))
            (out / feed.rss_path).write_bytes(render_rss(feed, site, stamp, part))
    first.context[FEED_LINKS] = {f.dir: feed_links(f, site) for f in feeds}
    log.debug("wrote %d feeds (Atom and RSS each)", len(feeds))


def register() -> None:
    # all_generators_finalized: every article is read and sealed; pages are not rendered yet.
    signals.all_generators_finalized.connect(write_feeds)
