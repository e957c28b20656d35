"""The partnership map: projection, simplification, statuses on a date, and the SVG itself."""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest

from kommunepartner.base.i18n import catalogue
from kommunepartner.base.kommuner import reference
from kommunepartner.base.schema import OSLO
from kommunepartner.content.registry import load_registry
from kommunepartner.outputs.mapgeometry import (
    GEOJSON,
    load_geometry,
    path_data,
    simplify,
    transverse_mercator,
)
from kommunepartner.outputs.partnermap import STATUSES, build_partner_map, status_on

FIXTURE = Path(__file__).parents[1] / "fixtures" / "partnermap" / "registry_all_statuses.yaml"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=OSLO)
SVG = "{http://www.w3.org/2000/svg}"
# What the fixture registry shows on 2026-11-30 (see the comments in the fixture).
EXPECTED = {
    "4601": "active",
    "1106": "pilot",
    "1103": "prospect",
    "1505": "prospect",
    "4647": "paused",
    "1508": "ended",
    "4614": "ended",
}


def points_of(d: str) -> list[list[tuple[int, int]]]:
    """Parse our path data (M x y l dx dy ... z) back into absolute rings."""
    rings = []
    for sub in re.findall(r"M[^M]+", d):
        numbers = [int(n) for n in re.findall(r"-?\d+", sub)]
        x, y = numbers[0], numbers[1]
        ring = [(x, y)]
        for dx, dy in zip(numbers[2::2], numbers[3::2]):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


@pytest.fixture(scope="module")
def registry():
    return load_registry(FIXTURE)


@pytest.fixture(scope="module")
def nn_map(registry):
    return build_partner_map(registry, NOW, catalogue("nn"))


def test_projection_keeps_the_central_meridian_straight_and_north_up():
    x, y = transverse_mercator(7.0, 60.0)
    assert x == pytest.approx(0) and y == pytest.approx(math.radians(60))
    east, west = transverse_mercator(9.0, 61.0), transverse_mercator(5.0, 61.0)
    assert east[0] == pytest.approx(-west[0]) and east[1] == pytest.approx(west[1])
    assert transverse_mercator(6.0, 63.0)[1] > transverse_mercator(6.0, 59.0)[1]


def test_projection_is_conformal_at_the_edge_of_the_map():
    """A small step east and a small step north stay equally long, as on the ground."""
    lon, lat, h = 4.6, 61.5, 1e-5
    x0, y0 = transverse_mercator(lon, lat)
    xe, ye = transverse_mercator(lon + h / math.cos(math.radians(lat)), lat)
    xn, yn = transverse_mercator(lon, lat + h)
    assert math.dist((x0, y0), (xe, ye)) == pytest.approx(math.dist((x0, y0), (xn, yn)), rel=1e-4)


def test_simplify_drops_points_within_tolerance_and_keeps_corners():
    line = [(0, 0), (5, 1), (10, 0), (10, 10)]
    assert simplify(line, 2.0) == [(0, 0), (10, 0), (10, 10)]
    assert simplify(line, 0.5) == line


def test_path_data_is_relative_and_round_trips():
    ring = [(10, 20), (13, 16), (8, 22), (10, 20)]
    assert path_data([ring[:-1]]) == "M10 20l3-4-5 6z"
    assert points_of(path_data([ring[:-1]])) == [ring[:-1]]


def test_geometry_has_one_shape_per_municipality_inside_the_view_box():
    geometry = load_geometry()
    numbers = [s.number for s in geometry.shapes]
    assert sorted(numbers) == sorted(n for n in reference() if len(n) == 4)
    assert len(numbers) == 93
    for shape in geometry.shapes:
        for ring in points_of(shape.path):
            assert len(ring) >= 3, shape.number
            assert all(0 <= x <= geometry.width and 0 <= y <= geometry.height for x, y in ring)
    assert geometry.height == 1000 and 400 < geometry.width < 500  # a tall map: 5 ° of latitude


def test_neighbours_still_share_their_border_after_simplification():
    """Borders are simplified once per shared arc, so neighbours meet without gaps or overlaps."""
    with open(GEOJSON, encoding="utf-8") as f:
        features = json.load(f)["features"]
    owners = defaultdict(set)
    for feature in features:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for ring in (r for p in polygons for r in p):
            for lon, lat in ring:
                owners[(lon, lat)].add(feature["properties"]["kommunenummer"])
    shared = defaultdict(int)
    for users in owners.values():
        for a in users:
            for b in users - {a}:
                shared[frozenset((a, b))] += 1
    neighbours = {pair for pair, n in shared.items() if n >= 20}  # a real border, not a corner
    shapes = {s.number: points_of(s.path) for s in load_geometry().shapes}
    vertices = {n: {p for ring in rings for p in ring} for n, rings in shapes.items()}
    segments = {
        n: {frozenset(pq) for ring in rings for pq in zip(ring, ring[1:] + ring[:1])}
        for n, rings in shapes.items()
    }
    assert len(neighbours) > 90
    matched = total = 0
    for a, b in map(tuple, neighbours):
        assert segments[a] & segments[b], (a, b)
        # a step of a's outline between two of b's corners is (nearly always) a step of b's too
        candidates = [s for s in segments[a] if s <= vertices[b]]
        total += len(candidates)
        matched += sum(s in segments[b] for s in candidates)
    assert matched / total > 0.99, (matched, total)


def test_status_on_the_build_date(registry):
    on = NOW.date()
    assert status_on(None, on) == "none"
    for number, expected in EXPECTED.items():
        assert status_on(registry.partner(number), on) == expected, number
    # Haugesund's pilot year is over on 1 January 2027; Stavanger's begins.
    assert status_on(registry.partner("1106"), date(2027, 1, 1)) == "ended"
    assert status_on(registry.partner("1103"), date(2027, 1, 1)) == "pilot"


def test_svg_is_valid_xml_with_a_classed_titled_path_per_municipality(nn_map):
    root = ET.fromstring(nn_map.svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text.startswith("Kart over kommunane")
    paths = [p for p in root.iter(f"{SVG}path") if p.get("class") != "pm-county"]
    assert len(paths) == 93
    seen = {}
    for path in paths:
        title = path.find(f"{SVG}title").text
        number = re.search(r"\((\d{4})\)", title).group(1)
        status = EXPECTED.get(number, "none")
        assert path.get("class") == f"pm-{status}", title
        assert (
            title
            == f"{reference()[number].name} ({number}): "
            + catalogue("nn")[f"partnermap_status_{status}"]
        )
        seen[number] = status
    assert len(seen) == 93
    assert len(list(root.iter(f"{SVG}pattern"))) == 3  # pilot, paused, ended also differ by pattern


def test_svg_stays_within_its_size_budget(nn_map):
    """The inline SVG is most of the page; the page as a whole must stay under 60 KB."""
    assert len(nn_map.svg.encode()) <= 30_000


def test_legend_counts_and_county_rows(nn_map):
    counts = {e.status: e.count for e in nn_map.legend}
    assert tuple(counts) == STATUSES
    assert counts == {
        "active": 1,
        "pilot": 1,
        "prospect": 2,
        "paused": 1,
        "ended": 2,
        "none": 86,
    }
    assert [(r.number, r.status) for r in nn_map.fylkeskommunar] == [
        ("11", "none"),
        ("15", "none"),
        ("46", "active"),
    ]
    since = {r.number: r.since for r in nn_map.kommuner}
    assert since["4601"] == date(2025, 1, 1) and since["1103"] == date(2027, 1, 1)
    assert since["1508"] is None and since["4614"] is None  # ended: no "partner since"
    assert nn_map.on == date(2026, 11, 30)
    assert nn_map.credit == "© Kartverket, CC BY 4.0"


def test_the_date_is_the_build_date_in_oslo(registry):
    """23:30 UTC on 31 December is already 1 January in Norway: Haugesund's pilot has ended."""
    late = datetime.fromisoformat("2026-12-31T23:30:00+00:00")
    pm = build_partner_map(registry, late, catalogue("nn"))
    assert pm.on == date(2027, 1, 1)
    assert {r.number: r.status for r in pm.kommuner}["1106"] == "ended"


def test_bokmal_labels(registry):
    pm = build_partner_map(registry, NOW, catalogue("nb"))
    assert "Bergen (4601): Aktiv partner" in pm.svg
    assert "Ikke partner" in pm.svg and "Ikkje partnar" not in pm.svg
