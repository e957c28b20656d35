"""Pelican plugin: each event's view (times, place, calendar links, sealed online link) and the
site's calendars: one .ics per event, calendar.ics, and one per series."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from pelican import signals

from kommunepartner.base.i18n import catalogue
from kommunepartner.build.context import PartMemo, context_of
from kommunepartner.build.pages import CALENDAR_LINK, DiscoverySettings
from kommunepartner.content.items import EVENT_SERIES
from kommunepartner.outputs.calendar import (
    ALL_EVENTS,
    CalendarEvent,
    add_to_calendar,
    calendar_files,
    ics_path,
    series_path,
)
from kommunepartner.outputs.discovery import FeedLink, absolute
from kommunepartner.outputs.events import event_view, online_html
from plugins.access import seal_html

log = logging.getLogger(__name__)

# A preview server rebuilds in one process: only events whose facts changed are serialised again.
_PARTS = PartMemo()


def event_articles(generator) -> list:
    """Published events, originals and translations (drafts and hidden ones never)."""
    return [
        a
        for a in [*generator.articles, *generator.translations]
        if a.metadata.get("kp_item") is not None and a.metadata["kp_item"].section == "events"
    ]


def add_events(generator) -> None:
    """Attach `kp_event` to every event for its page and card; write the .ics files."""
    settings = DiscoverySettings.from_settings(generator.settings)
    site = settings.site
    now = context_of(generator.settings).config.now
    pairs = []
    for a in event_articles(generator):
        item = a.metadata["kp_item"]
        t = catalogue(item.lang)
        event = CalendarEvent(item, absolute(site.url, a.url))
        links = add_to_calendar(event, absolute(site.url, ics_path(a.url, item.slug)))
        calendars = (
            absolute(site.url, series_path(item.meta["series"])),
            absolute(site.url, ALL_EVENTS),
        )
        view = event_view(event, links, calendars, now, t["ev_at"])
        if item.meta.get("online_url"):
            # The link is for partners only: it exists on the page only sealed.
            html = online_html(item.meta["online_url"], t["ev_join"])
            sealed = seal_html(generator.settings, f"{item.key}#online_url", html)
            view = dataclasses.replace(view, online_sealed=sealed)
        a.kp_event = view
        pairs.append((event, a.url))
    t = catalogue(site.lang)
    names = {"all": f"{site.name} – {t['ev_calendar_name']}"}
    names |= {s: f"{site.name} – {t[f'ev_series_{s}']}" for s in EVENT_SERIES}
    out = Path(generator.output_path)
    # DTSTAMP: the latest change the clock made, not the build's time (same site, same bytes).
    stamp = context_of(generator.settings).revision
    with _PARTS.build(generator.settings) as part:
        files = calendar_files(pairs, names, site.url, stamp, part)
    for f in files:
        (out / f.path).parent.mkdir(parents=True, exist_ok=True)
        (out / f.path).write_bytes(f.data)
    generator.context[CALENDAR_LINK] = FeedLink(
        names["all"], absolute(site.url, ALL_EVENTS), "text/calendar"
    )
    log.debug("calendars written for %d events", len(pairs))


def register() -> None:
    # article_generator_finalized: events are read and sealed; no template has rendered yet.
    signals.article_generator_finalized.connect(add_events)
