"""The partnership map: every municipality's status on the build date, drawn as one SVG."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

from kommunepartner.base.kommuner import reference
from kommunepartner.base.schema import OSLO
from kommunepartner.content.registry import IN_GOOD_STANDING, Partner, Registry
from kommunepartner.outputs.mapgeometry import MapGeometry, load_geometry

log = logging.getLogger(__name__)

# Legend order: from the closest relationship to none.
STATUSES = ("active", "pilot", "prospect", "paused", "ended", "none")

# The fills live in site.css (the pages' Content-Security-Policy allows no inline style):
# Okabe–Ito colours, and for the statuses whose lightness is close to another's, one of these
# patterns as well, so no status relies on hue alone.
PATTERNS = (
    # pilot: sky blue with dark blue diagonal stripes
    '<pattern id="pm-pilot" width="6" height="6" patternUnits="userSpaceOnUse"'
    ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#56b4e9"/>'
    '<rect width="2" height="6" fill="#0072b2"/></pattern>'
    # paused: reddish purple with white horizontal bars
    '<pattern id="pm-paused" width="5" height="5" patternUnits="userSpaceOnUse">'
    '<rect width="5" height="5" fill="#cc79a7"/><rect width="5" height="1.5" fill="#fff"/></pattern>'
    # ended: light grey with dark dots
    '<pattern id="pm-ended" width="5" height="5" patternUnits="userSpaceOnUse">'
    '<rect width="5" height="5" fill="#c4c4c4"/><circle cx="2.5" cy="2.5" r="1.1" fill="#3d3d3d"/>'
    "</pattern>"
)
CREDIT = "© Kartverket, CC BY 4.0"


@dataclass(frozen=True)
class MapRow:
    """One line of the map's table: a kommune or a fylkeskommune and its status on the date."""

    number: str
    name: str
    fylke: str
    status: str  # one of STATUSES
    since: date | None


@dataclass(frozen=True)
class CountyGroup:
    """One county's kommunar, for a table of their own (the county is its caption)."""

    fylke: str
    kommuner: tuple[MapRow, ...]


@dataclass(frozen=True)
class LegendEntry:
    status: str
    count: int


@dataclass(frozen=True)
class PartnerMap:
    """What the partnermap template shows: the SVG, the legend, the two tables and the date."""

    svg: str
    on: date
    legend: tuple[LegendEntry, ...]
    kommuner: tuple[MapRow, ...]
    fylkeskommunar: tuple[MapRow, ...]
    credit: str = CREDIT

    @property
    def by_county(self) -> tuple[CountyGroup, ...]:
        """The kommunar grouped by county, in the order of the fylkeskommunar (by number)."""
        return tuple(
            CountyGroup(c.fylke, tuple(r for r in self.kommuner if r.fylke == c.fylke))
            for c in self.fylkeskommunar
        )


def status_on(partner: Partner | None, on: date) -> str:
    """The status shown on a date: the registry's, except a pilot or active partner outside
    [since, until] shows as prospect (not started yet) or ended (its agreement ran out)."""
    if partner is None:
        return "none"
    if partner.status in IN_GOOD_STANDING and not partner.in_good_standing(on):
        return "prospect" if partner.since and on < partner.since else "ended"
    return partner.status


def map_rows(registry: Registry, on: date) -> list[MapRow]:
    """Every kommune and fylkeskommune of the programme, by number, with its status on `on`."""
    rows = []
    for org in sorted(reference().values(), key=lambda m: m.number):
        partner = registry.partner(org.number)
        status = status_on(partner, on)
        # "partner since" means nothing for a partnership that has ended
        since = partner.since if partner and status != "ended" else None
        rows.append(MapRow(org.number, org.name, org.fylke, status, since))
    return rows


def build_partner_map(
    registry: Registry,
    now: datetime,
    texts: Mapping[str, str],
    geometry: MapGeometry | None = None,
) -> PartnerMap:
    """The map for one page: statuses decided on the build's date (Oslo), labels from `texts`."""
    on = now.astimezone(OSLO).date() if now.tzinfo else now.date()
    rows = map_rows(registry, on)
    kommuner = [r for r in rows if len(r.number) == 4]
    counts = Counter(r.status for r in kommuner)
    legend = tuple(LegendEntry(s, counts[s]) for s in STATUSES)
    svg = render_svg(geometry or load_geometry(), {r.number: r for r in kommuner}, texts)
    log.debug("partner map for %s: %d bytes", on, len(svg))
    return PartnerMap(
        svg, on, legend, tuple(kommuner), tuple(r for r in rows if len(r.number) == 2)
    )


def render_svg(geometry: MapGeometry, rows: Mapping[str, MapRow], texts: Mapping[str, str]) -> str:
    """One self-contained SVG: a path with a status class and a <title> per municipality."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pm-map" role="img"'
        f' viewBox="0 0 {geometry.width} {geometry.height}"'
        f' width="{geometry.width}" height="{geometry.height}" aria-labelledby="pm-map-title">'
        f'<title id="pm-map-title">{escape(texts["partnermap_map_label"])}</title>'
        f"<defs>{PATTERNS}</defs>"
    )
    paths = []
    for shape in geometry.shapes:
        row = rows[shape.number]
        label = f"{shape.name} ({shape.number}): {texts['partnermap_status_' + row.status]}"
        paths.append(
            f"<path class={quoteattr('pm-' + row.status)} d={quoteattr(shape.path)}>"
            f"<title>{escape(label)}</title></path>"
        )
    borders = f'<path class="pm-county" d="{geometry.county_borders}"/>'
    return head + "".join(paths) + borders + "</svg>"
