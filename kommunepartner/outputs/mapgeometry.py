"""Municipality boundaries as compact SVG paths: projection, shared-border simplification, paths."""

from __future__ import annotations

import json
import logging
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kommunepartner.base.kommuner import DATA

log = logging.getLogger(__name__)

GEOJSON = DATA / "kommuner-vest.geojson"
CENTRAL_MERIDIAN = 7.0  # the middle of the three counties (4.5–9.4 °E)

Point = tuple[int, int]
Ring = list[Point]


@dataclass(frozen=True)
class Shape:
    """One municipality drawn: its number, name, county and SVG path data in map units."""

    number: str
    name: str
    fylke: str
    path: str


@dataclass(frozen=True)
class MapGeometry:
    """The whole map: its size in map units, one shape per municipality, county outlines."""

    width: int
    height: int
    shapes: tuple[Shape, ...]
    county_borders: str  # path data of the land borders between the counties


def transverse_mercator(
    lon: float, lat: float, lon0: float = CENTRAL_MERIDIAN
) -> tuple[float, float]:
    """Spherical transverse Mercator (conformal, like UTM) on the unit sphere; y grows northwards."""
    phi, dlam = math.radians(lat), math.radians(lon - lon0)
    x = math.atanh(math.cos(phi) * math.sin(dlam))
    y = math.atan2(math.tan(phi), math.cos(dlam))
    return x, y


def ring_area(ring: Ring) -> float:
    """Absolute shoelace area of a closed ring (the closing point is implied)."""
    total = 0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Ramer–Douglas–Peucker on an open polyline; both ends are kept."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, best_d = -1, tolerance
        for i in range(first + 1, last):
            px, py = points[i]
            if norm:
                d = abs(dy * (px - ax) - dx * (py - ay)) / norm
            else:
                d = math.hypot(px - ax, py - ay)
            if d > best_d:
                best, best_d = i, d
        if best > 0:
            keep[best] = True
            stack += [(first, best), (best, last)]
    return [p for p, k in zip(points, keep) if k]


def path_data(rings: list[Ring]) -> str:
    """SVG path data: an absolute move, then relative integer steps; one subpath per ring."""
    parts = []
    for ring in rings:
        parts.append(_subpath(ring) + "z")
    return "".join(parts)


def _subpath(points: list[Point]) -> str:
    (x0, y0), out = points[0], []
    out.append(f"M{x0} {y0}l")
    px, py = x0, y0
    numbers = []
    for x, y in points[1:]:
        numbers += [x - px, y - py]
        px, py = x, y
    for i, n in enumerate(numbers):
        # a minus sign separates numbers by itself; everything else needs a space
        out.append(str(n) if i == 0 or n < 0 else f" {n}")
    return "".join(out)


def _quantize(coords: list, project) -> Ring:
    ring: Ring = []
    for lon, lat in coords:
        p = project(lon, lat)
        if not ring or ring[-1] != p:
            ring.append(p)
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    return ring


class _Topology:
    """Rings cut into arcs at junctions, so a border shared by two municipalities is simplified once."""

    def __init__(self, rings: list[tuple[str, Ring]]):
        self.neighbours: dict[Point, set[frozenset]] = defaultdict(set)
        for _, ring in rings:
            n = len(ring)
            for i, p in enumerate(ring):
                self.neighbours[p].add(frozenset((ring[i - 1], ring[(i + 1) % n])))
        self.users: dict[tuple, set[str]] = defaultdict(set)  # canonical arc -> feature numbers
        self.simplified: dict[tuple, list[Point]] = {}

    def is_junction(self, p: Point) -> bool:
        return len(self.neighbours[p]) > 1

    def arcs(self, ring: Ring) -> list[list[Point]]:
        """The ring cut at its junctions; a ring without junctions is one closed arc."""
        cuts = [i for i, p in enumerate(ring) if self.is_junction(p)]
        if not cuts:
            start = ring.index(min(ring))
            turned = ring[start:] + ring[:start]
            return [turned + turned[:1]]
        turned = ring[cuts[0] :] + ring[: cuts[0]] + [ring[cuts[0]]]
        marks = [i for i, p in enumerate(turned) if i == len(turned) - 1 or self.is_junction(p)]
        return [turned[a : b + 1] for a, b in zip(marks, marks[1:])]

    @staticmethod
    def canonical(arc: list[Point]) -> tuple[tuple, bool]:
        """The arc in one fixed direction, so both neighbours simplify the same point list."""
        backwards = arc[::-1]
        if arc[0] == arc[-1]:  # closed: compare the directions by their second point
            flip = len(arc) > 2 and backwards[1] < arc[1]
        else:
            flip = backwards[0] < arc[0]
        return (tuple(backwards) if flip else tuple(arc)), flip

    def register(self, number: str, ring: Ring) -> None:
        for arc in self.arcs(ring):
            self.users[self.canonical(arc)[0]].add(number)

    def simplify_ring(self, ring: Ring, tolerance: float) -> Ring:
        out: Ring = []
        for arc in self.arcs(ring):
            key, flip = self.canonical(arc)
            if key not in self.simplified:
                self.simplified[key] = _simplify_arc(list(key), tolerance)
            part = self.simplified[key]
            out += (part[::-1] if flip else part)[:-1]
        return out


def _simplify_arc(arc: list[Point], tolerance: float) -> list[Point]:
    if arc[0] != arc[-1] or len(arc) < 4:
        return simplify(arc, tolerance)
    # A closed arc: split at the point farthest from its start so both halves keep their shape.
    far = max(range(len(arc)), key=lambda i: math.dist(arc[0], arc[i]))
    return simplify(arc[: far + 1], tolerance)[:-1] + simplify(arc[far:], tolerance)


@cache
def load_geometry(
    height: int = 1000, tolerance: float = 2.0, min_area: float = 10.0, path: Path = GEOJSON
) -> MapGeometry:
    """Read the boundaries once: project, fit into `height` map units, simplify shared borders."""
    with open(path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    polygons = []  # (number, [outer ring, holes...]) in projected floats
    for feature in features:
        geometry = feature["geometry"]
        coords = geometry["coordinates"]
        for polygon in [coords] if geometry["type"] == "Polygon" else coords:
            polygons.append((feature["properties"]["kommunenummer"], polygon))
    projected = {
        (lon, lat): transverse_mercator(lon, lat)
        for _, polygon in polygons
        for ring in polygon
        for lon, lat in ring
    }
    xs = [x for x, _ in projected.values()]
    ys = [y for _, y in projected.values()]
    margin = 4
    scale = (height - 2 * margin) / (max(ys) - min(ys))
    width = math.ceil((max(xs) - min(xs)) * scale) + 2 * margin
    x0, y1 = min(xs), max(ys)

    def to_map(lon: float, lat: float) -> Point:
        x, y = projected[(lon, lat)]
        return round((x - x0) * scale) + margin, round((y1 - y) * scale) + margin

    quantized = [
        (number, [r for r in (_quantize(ring, to_map) for ring in polygon) if len(r) >= 3])
        for number, polygon in polygons
    ]
    all_rings = [(n, r) for n, rings in quantized for r in rings]
    topology = _Topology(all_rings)
    for number, ring in all_rings:
        topology.register(number, ring)
    by_number: dict[str, list[list[Ring]]] = defaultdict(list)
    for number, rings in quantized:
        if rings:
            simple = [topology.simplify_ring(r, tolerance) for r in rings]
            by_number[number].append(simple)
    shapes = []
    for feature in features:
        props = feature["properties"]
        rings = _visible_rings(by_number[props["kommunenummer"]], min_area)
        shapes.append(
            Shape(props["kommunenummer"], props["name"], props["fylke"], path_data(rings))
        )
    borders = _county_borders(topology)
    log.debug("map: %d shapes, %d arcs", len(shapes), len(topology.simplified))
    return MapGeometry(width, height, tuple(shapes), borders)


def _visible_rings(polygons: list[list[Ring]], min_area: float) -> list[Ring]:
    """Drop islands and holes too small to see; always keep the municipality's largest part."""
    polygons = [p for p in polygons if len(p[0]) >= 3]
    largest = max(polygons, key=lambda p: ring_area(p[0]))
    out: list[Ring] = []
    for polygon in polygons:
        if polygon is not largest and ring_area(polygon[0]) < min_area:
            continue
        out.append(polygon[0])
        out += [h for h in polygon[1:] if len(h) >= 3 and ring_area(h) >= min_area]
    return out


def _county_borders(topology: _Topology) -> str:
    """Path data of the land borders between the three counties (arcs used by two counties)."""
    parts = []
    for key, users in sorted(topology.users.items()):
        simple = topology.simplified.get(key)
        if simple and len(simple) > 1 and len({n[:2] for n in users}) > 1:
            parts.append(_subpath(simple))
    return "".join(parts)
