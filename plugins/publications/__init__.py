"""Pelican plugin: series, author, municipality and county pages; each brief's citation files;
each place's calendar. The views are computed in kommunepartner/build/publications.py."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals
from pelican.generators import Generator

from kommunepartner.base.i18n import catalogue
from kommunepartner.build.context import PartMemo, context_of
from kommunepartner.build.pages import DiscoverySettings
from kommunepartner.build.publications import KEY, publications
from kommunepartner.outputs.calendar import CalendarEvent, calendar_ics
from kommunepartner.outputs.citation import FORMATS, render
from kommunepartner.outputs.discovery import absolute

log = logging.getLogger(__name__)

# A preview server rebuilds in one process: only calendars whose events changed are serialised again.
_PARTS = PartMemo()


class PublicationPages(Generator):
    """Writes the generated list pages and files once every item is read and sealed."""

    def generate_output(self, writer) -> None:
        pub = self.context[KEY]
        ctx = context_of(self.settings)
        write = _Writer(self, writer)
        for page in (*pub.series, *pub.authors):
            write(page.path, "listing", listing=page)
        write(pub.authors_index.path, "listing", listing=pub.authors_index)
        for page in (*pub.kommunar, *pub.fylker):
            write(page.path, "place", listing=page, view=pub.place_view(page, ctx.config.now))
        write(pub.places_index.path, "places", listing=pub.places_index, groups=pub.place_groups())
        out = Path(self.output_path)
        for c in pub.briefs:
            citation = c.kp_view.citation.citation
            for fmt in FORMATS:
                (out / c.url / citation.file_name(fmt)).write_text(
                    render(citation, fmt), encoding="utf-8", newline=""
                )
        self._calendars(pub, out)
        log.debug("%d list pages and %d briefs' citation files", len(pub.pages), len(pub.briefs))

    def _calendars(self, pub, out: Path) -> None:
        """One calendar per place: the events about it (public facts only, as every calendar)."""
        site = DiscoverySettings.from_settings(self.settings).site
        now = context_of(self.settings).config.now
        host = urlsplit(site.url).hostname or "localhost"
        t = catalogue(site.lang)
        with _PARTS.build(self.settings) as part:
            for page in (*pub.kommunar, *pub.fylker):
                events = [
                    CalendarEvent(c.metadata["kp_item"], absolute(site.url, c.url))
                    for c in page.contents
                    if c.metadata["kp_item"].section == "events"
                ]
                name = f"{site.name} – {t['place_calendar_title'].format(name=page.title)}"
                data = calendar_ics(name, events, host, now, part)
                (out / page.core.calendar_path).write_bytes(data)


class _Writer:
    """Pelican's writer with the settings every list page shares."""

    def __init__(self, generator: Generator, writer) -> None:
        self.generator, self.writer = generator, writer

    def __call__(self, path: str, template: str, **values) -> None:
        g = self.generator
        self.writer.write_file(
            f"{path}index.html",
            g.get_template(template),
            g.context,
            relative_urls=g.settings["RELATIVE_URLS"],
            url=path,
            **values,
        )


def add_generator(_pelican):
    return PublicationPages


def compute(generators) -> None:
    """Compute the views now, so every template (the briefs list too) finds `kp_pub`."""
    publications(generators)


def register() -> None:
    # get_generators: our pages are written by a generator of their own, after articles and pages.
    signals.get_generators.connect(add_generator)
    # all_generators_finalized: every item is read and sealed; nothing is rendered yet.
    signals.all_generators_finalized.connect(compute)
