"""Pelican objects → the views of series, author, municipality and county pages (plain values).

Several plugins need them in one build (the pages, their feeds, calendars and the sitemap), in an
order Pelican does not promise: the first to ask computes them, the rest get the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kommunepartner.base.i18n import catalogue
from kommunepartner.base.kommuner import reference
from kommunepartner.base.schema import OSLO
from kommunepartner.build.context import context_of
from kommunepartner.build.pages import published_contents
from kommunepartner.content.items import Item
from kommunepartner.outputs.listing import upcoming_and_past
from kommunepartner.outputs.places import KOMMUNE_DIR, Place, places
from kommunepartner.outputs.publications import (
    AUTHORS_DIR,
    AuthorPage,
    SeriesPage,
    author_pages,
    series_pages,
)

KEY = "kp_pub"  # context key of this build's PublicationsView (templates read it too)


@dataclass(frozen=True)
class Listing:
    """One generated list page: what it is, its title, and the Pelican objects it shows."""

    kind: str  # series | author | authors | kommune | fylke | places
    path: str  # 'serie/temanotat/'
    title: str
    contents: tuple[Any, ...]  # Pelican articles, newest first (a series: by year and number)
    core: SeriesPage | AuthorPage | Place | None = None
    feed: bool = False  # has its own Atom and RSS feed at path
    groups: tuple[tuple[str, tuple[Any, ...]], ...] = ()  # (heading, objects): a series' years


@dataclass(frozen=True)
class PlaceLink:
    name: str
    url: str


@dataclass(frozen=True)
class PlaceView:
    """What a municipality's or county's page shows besides its Listing."""

    heading: str
    briefs: tuple[Any, ...]
    upcoming: tuple[Any, ...]  # events, soonest first
    past: tuple[Any, ...]  # events, latest first
    county_url: str  # a kommune's county page ('' when it has none)
    members: tuple[PlaceLink, ...]  # a county's kommunar with pages


@dataclass(frozen=True)
class PublicationsView:
    series: tuple[Listing, ...]
    authors: tuple[Listing, ...]
    kommunar: tuple[Listing, ...]
    fylker: tuple[Listing, ...]
    briefs: tuple[Any, ...]  # every published brief (translations too): its citation files
    authors_index: Listing
    places_index: Listing

    @property
    def pages(self) -> tuple[Listing, ...]:
        """Every generated list page, the two indexes included."""
        lists = (*self.series, *self.authors, *self.kommunar, *self.fylker)
        return (*lists, self.authors_index, self.places_index)

    def place_groups(self) -> list[tuple[Listing, tuple[Listing, ...]]]:
        """Each county's page with its kommunar's pages, for the index."""
        return [
            (f, tuple(k for k in self.kommunar if k.core.number in f.core.members))
            for f in self.fylker
        ]

    def place_view(self, listing: Listing, now: datetime) -> PlaceView:
        place: Place = listing.core  # type: ignore[assignment]
        items = [c.metadata["kp_item"] for c in listing.contents]
        obj = {id(c.metadata["kp_item"]): c for c in listing.contents}
        upcoming, past = upcoming_and_past(items, now)
        county = next((f for f in self.fylker if f.core.number == place.number[:2]), None)
        members = tuple(
            PlaceLink(k.title, k.path) for k in self.kommunar if k.core.number in place.members
        )
        return PlaceView(
            listing.title,
            tuple(obj[id(i)] for i in items if i.section == "briefs"),
            tuple(obj[id(i)] for i in upcoming),
            tuple(obj[id(i)] for i in past),
            county.path if county is not None and place.kind == "kommune" else "",
            members,
        )


def publications(generators: Sequence) -> PublicationsView:
    """This build's views, computed by the first plugin that asks."""
    context = generators[0].context
    if KEY not in context:
        context[KEY] = _compute(generators)
    return context[KEY]


def _compute(generators: Sequence) -> PublicationsView:
    settings = generators[0].settings
    ctx = context_of(settings)
    t = catalogue(settings.get("DEFAULT_LANG", "nn"))
    contents = published_contents(generators)
    obj: dict[int, Any] = {id(c.metadata["kp_item"]): c for c in contents}
    items: list[Item] = [c.metadata["kp_item"] for c in contents]

    def objs(chosen: Sequence[Item]) -> tuple[Any, ...]:
        return tuple(obj[id(i)] for i in chosen)

    series = tuple(
        Listing(
            "series",
            page.path,
            t[f"series_{page.series}"],
            objs(page.items),
            page,
            feed=True,
            groups=tuple((str(y.year), objs(y.items)) for y in page.years),
        )
        for page in series_pages(items, ctx.site.numbers)
    )
    authors = tuple(
        Listing("author", a.path, a.name, objs(a.items), a) for a in author_pages(items)
    )
    on = ctx.config.now.astimezone(OSLO).date()
    kommunar, fylker = places(items, ctx.registry, on, reference())
    kommune_pages = tuple(
        Listing("kommune", p.path, p.name, objs(p.items), p, feed=True) for p in kommunar
    )
    fylke_pages = tuple(
        Listing("fylke", p.path, p.name, objs(p.items), p, feed=True) for p in fylker
    )
    briefs = tuple(c for c in contents if c.metadata["kp_item"].section == "briefs")
    return PublicationsView(
        series,
        authors,
        kommune_pages,
        fylke_pages,
        briefs,
        Listing("authors", f"{AUTHORS_DIR}/", t["authors_title"], ()),
        Listing("places", f"{KOMMUNE_DIR}/", t["places_title"], ()),
    )


def listing_of(jctx: Mapping) -> Listing | None:
    """The Listing a page is rendered for (templates get it as `listing`), else None."""
    found = jctx.get("listing")
    return found if isinstance(found, Listing) else None
