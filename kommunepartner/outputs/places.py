"""A page for every municipality and county the programme writes about or works with.

A kommune gets a page when a published brief or event names it (`kommuner:`) or the registry
has it as a partner (whatever its status); a county when an item names it (`fylker:`), its
fylkeskommune is in the registry, or one of its kommunar has a page. A county's page gathers the
items about the county and about its kommunar. Statuses are those of the partnership map.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from kommunepartner.base.kommuner import FYLKER, Municipality
from kommunepartner.base.slug import slugify
from kommunepartner.content.items import Item
from kommunepartner.content.registry import Registry
from kommunepartner.outputs.listing import newest_first, primary_versions
from kommunepartner.outputs.partnermap import status_on

KOMMUNE_DIR = "kommune"
FYLKE_DIR = "fylke"
CALENDAR = "kalender.ics"


@dataclass(frozen=True)
class Place:
    """One municipality's or county's page: who it is, its partnership, the items about it."""

    kind: str  # kommune | fylke
    number: str  # '4601'; a county's fylkesnummer, '46'
    name: str  # 'Bergen'; 'Vestland'
    fylke: str  # the county's name (a county: itself)
    status: str  # partnermap.STATUSES, on the build date
    since: date | None
    items: tuple[Item, ...]  # briefs and events about it, newest first, each text once
    members: tuple[str, ...] = ()  # a county: numbers of its kommunar that have pages

    @property
    def slug(self) -> str:
        return (
            f"{self.number}-{slugify(self.name)}" if self.kind == "kommune" else slugify(self.name)
        )

    @property
    def path(self) -> str:
        """'kommune/4601-bergen/' or 'fylke/vestland/'."""
        return f"{KOMMUNE_DIR if self.kind == 'kommune' else FYLKE_DIR}/{self.slug}/"

    @property
    def calendar_path(self) -> str:
        return f"{self.path}{CALENDAR}"

    @property
    def briefs(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.section == "briefs")

    @property
    def events(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.section == "events")


def kommune_path(number: str, reference: Mapping[str, Municipality]) -> str:
    """The page of a kommune by number (whether or not it has one: callers check)."""
    return f"{KOMMUNE_DIR}/{number}-{slugify(reference[number].name)}/"


def fylke_path(number: str) -> str:
    return f"{FYLKE_DIR}/{slugify(FYLKER[number])}/"


def _status(registry: Registry, number: str, on: date) -> tuple[str, date | None]:
    partner = registry.partner(number)
    status = status_on(partner, on)
    return status, (partner.since if partner and status != "ended" else None)


def places(
    items: Sequence[Item], registry: Registry, on: date, reference: Mapping[str, Municipality]
) -> tuple[list[Place], list[Place]]:
    """(kommunar, counties) with pages, each by number; `items` are the published items."""
    # Every version names its places (each has a page); lists show each text once.
    primary = {id(i) for i in primary_versions(items)}
    named: dict[str, list[Item]] = {}
    counties: dict[str, list[Item]] = {}
    for item in items:
        if item.section not in ("briefs", "events"):
            continue
        for number in item.meta.get("kommuner", []):
            named.setdefault(number, [])
            if id(item) in primary:
                named[number].append(item)
        for number in item.meta.get("fylker", []):
            counties.setdefault(number, [])
            if id(item) in primary:
                counties[number].append(item)
    partners = {p.org.number for p in registry.partners}
    numbers = sorted(
        n for n in set(named) | partners if n in reference and not reference[n].is_county
    )
    kommunar = []
    for n in numbers:
        m = reference[n]
        status, since = _status(registry, n, on)
        kommunar.append(
            Place(
                "kommune", n, m.name, m.fylke, status, since, tuple(newest_first(named.get(n, [])))
            )
        )
    by_county: dict[str, list[Place]] = {}
    for k in kommunar:
        by_county.setdefault(k.number[:2], []).append(k)
    fylke_numbers = sorted(
        n for n in set(counties) | set(by_county) | (partners & set(FYLKER)) if n in FYLKER
    )
    fylker = []
    for n in fylke_numbers:
        chosen = {id(i): i for i in counties.get(n, [])}
        for k in by_county.get(n, []):
            chosen.update({id(i): i for i in k.items})
        status, since = _status(registry, n, on)
        members = tuple(k.number for k in by_county.get(n, []))
        fylker.append(
            Place(
                "fylke",
                n,
                FYLKER[n],
                FYLKER[n],
                status,
                since,
                tuple(newest_first(chosen.values())),
                members,
            )
        )
    return kommunar, fylker
