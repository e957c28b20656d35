"""Municipality and county pages: which exist, their status and the items about them."""

from __future__ import annotations

from datetime import date, datetime

from kommunepartner.base.kommuner import reference
from kommunepartner.base.schema import OSLO
from kommunepartner.content.items import Item
from kommunepartner.content.registry import parse_registry
from kommunepartner.outputs.places import places

REGISTRY = """
fee_tiers:
  - {min_population: 0, fee: 50000}
partners:
  - {kommune: "4601", status: pilot, since: 2026-01-01, key_version: 1}
  - {kommune: "1506", status: prospect, key_version: 1}
  - {fylkeskommune: "11", status: active, since: 2026-01-01, until: 2026-06-30, key_version: 1}
"""


def item(section: str, slug: str, day: int, **meta) -> Item:
    when = datetime(2026, 3, day, tzinfo=OSLO)
    meta = {"title": slug, "date" if section == "briefs" else "start": when, **meta}
    if section == "events":
        meta |= {"series": "tenk-nytt", "format": "digital"}
    return Item(section, f"{slug}.md", slug, meta, "", 1)


def test_pages_for_named_and_registered_places_with_their_items_newest_first():
    a = item("briefs", "a", 1, kommuner=["1103", "4601"])
    b = item("briefs", "b", 5, kommuner=["4601"], fylker=["46"])
    b_nb = item("briefs", "b-nb", 5, kommuner=["4601"], translation_of="b", lang="nb")
    e = item("events", "e", 3, kommuner=["1103"])
    kommunar, fylker = places(
        [a, b, b_nb, e], parse_registry(REGISTRY, "p.yaml"), date(2026, 11, 30), reference()
    )
    by = {k.number: k for k in kommunar}
    assert list(by) == ["1103", "1506", "4601"]  # named, or in the registry
    assert [i.slug for i in by["4601"].items] == ["b", "a"]  # each text once
    assert [i.slug for i in by["1103"].briefs] == ["a"] and [i.slug for i in by["1103"].events] == [
        "e"
    ]
    assert (by["4601"].status, by["1506"].status) == ("pilot", "prospect")
    assert by["4601"].path == "kommune/4601-bergen/" and by["1506"].slug == "1506-molde"
    counties = {f.number: f for f in fylker}
    assert list(counties) == ["11", "15", "46"]
    assert counties["11"].status == "ended"  # its agreement ran out on 30 June
    assert counties["11"].members == ("1103",) and [i.slug for i in counties["11"].items] == [
        "e",
        "a",
    ]
    assert [i.slug for i in counties["46"].items] == ["b", "a"]
    assert counties["15"].path == "fylke/more-og-romsdal/"
