"""The view lists the theme shows: order, upcoming vs past, translations, topics, fees."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kommunepartner.base.kommuner import reference
from kommunepartner.base.schema import OSLO
from kommunepartner.content.items import Item
from kommunepartner.content.registry import AccessRule, Contact, FeeTier, Partner, Registry
from kommunepartner.outputs.listing import (
    TranslationIndex,
    archive,
    features,
    fee_table,
    latest,
    newest_first,
    norwegian_key,
    places,
    primary_versions,
    topic_index,
    translations,
    upcoming_and_past,
)

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=OSLO)


def item(section: str, slug: str, lang: str = "nn", **meta) -> Item:
    meta.setdefault("title", slug)
    return Item(section, f"content/{section}/{slug}.md", slug, meta, "", 1, lang)


def day(d: str, hm: str = "00:00") -> datetime:
    return datetime.fromisoformat(f"{d}T{hm}").replace(tzinfo=OSLO)


def slugs(items) -> list[str]:
    return [i.slug for i in items]


def test_newest_first_orders_by_date_then_slug_and_drops_undated():
    items = [
        item("briefs", "b", date=day("2026-03-01")),
        item("briefs", "a", date=day("2026-03-01")),
        item("briefs", "c", date=day("2026-05-01")),
        item("pages", "om"),
    ]
    assert slugs(newest_first(items)) == ["c", "b", "a"]


def test_latest_keeps_one_section_leaves_out_translations_and_limits():
    items = [
        item("briefs", "havvind", date=day("2026-03-02")),
        item("briefs", "havvind-nb", "nb", date=day("2026-03-02"), translation_of="havvind"),
        item("briefs", "nett", date=day("2026-04-10")),
        item("briefs", "sol", date=day("2026-09-18")),
        item("newsletters", "perspektiv-1", date=day("2026-12-01")),
    ]
    assert slugs(latest(items, "briefs")) == ["sol", "nett", "havvind"]
    assert slugs(latest(items, "briefs", limit=2)) == ["sol", "nett"]


def test_a_translation_whose_original_is_not_published_is_listed():
    items = [item("briefs", "havvind-nb", "nb", date=day("2026-03-02"), translation_of="havvind")]
    assert slugs(primary_versions(items)) == ["havvind-nb"]


def test_upcoming_soonest_first_past_latest_first_and_running_events_count_as_upcoming():
    items = [
        item("events", "mars", start=day("2027-03-11", "12:00")),
        item("events", "desember", start=day("2026-12-10", "09:00")),
        item(
            "events", "under-vegs", start=day("2026-11-30", "10:00"), end=day("2026-11-30", "15:00")
        ),
        item(
            "events",
            "ferdig-i-dag",
            start=day("2026-11-30", "09:00"),
            end=day("2026-11-30", "11:00"),
        ),
        item("events", "mars-2026", start=day("2026-03-19", "10:00")),
        item("events", "oktober", start=day("2026-10-08", "09:00")),
        item("briefs", "not-an-event", date=day("2027-01-01")),
    ]
    upcoming, past = upcoming_and_past(items, NOW)
    assert slugs(upcoming) == ["under-vegs", "desember", "mars"]
    assert slugs(past) == ["ferdig-i-dag", "oktober", "mars-2026"]


def test_an_event_without_end_is_past_once_it_has_started():
    ev = item("events", "no", start=NOW)
    assert slugs(upcoming_and_past([ev], NOW)[0]) == ["no"]
    assert slugs(upcoming_and_past([ev], NOW + timedelta(minutes=1))[1]) == ["no"]


def test_archive_newest_issue_first():
    items = [
        item("newsletters", "p1", date=day("2026-04-15"), number=1),
        item("newsletters", "p3", date=day("2026-11-20"), number=3),
        item("newsletters", "p2", date=day("2026-09-21"), number=2),
        item("briefs", "b", date=day("2026-12-01")),
    ]
    assert slugs(archive(items)) == ["p3", "p2", "p1"]


def test_features_in_the_editors_order_and_unpublished_ones_left_out():
    items = [
        item("briefs", "sol", date=day("2026-09-18")),
        item("events", "treff", start=day("2027-02-04", "10:00")),
        item("pages", "sol-side"),
    ]
    issue = item("newsletters", "p3", features=["treff", "utkast", "sol"])
    assert slugs(features(issue, items)) == ["treff", "sol"]


def test_translations_are_found_from_either_side():
    nn = item("briefs", "havvind", "nn")
    nb = item("briefs", "havvind-nb", "nb", translation_of="havvind")
    other = item("briefs", "nett", "nn")
    page = item("pages", "havvind", "nb")
    items = [nn, nb, other, page]
    assert translations(nn, items) == [nb]
    assert translations(nb, items) == [nn]
    assert translations(other, items) == []


def test_topic_index_lists_programme_areas_first_then_alphabetically_with_aeoeaa_last():
    items = [
        item("briefs", "a", topics=["energi og næringsutvikling", "havvind", "ørret"]),
        item("briefs", "b", topics=["makt og samarbeid", "åpenhet", "æser", "zebra"]),
        item("briefs", "c", topics=["havvind", "energi og næringsutvikling"]),
        item("briefs", "c-nb", "nb", topics=["havvind"], translation_of="c"),
    ]
    areas = ["makt og samarbeid", "transport og stadutvikling", "energi og næringsutvikling"]
    index = topic_index(items, areas)
    assert [(t.name, t.count, t.area) for t in index] == [
        ("makt og samarbeid", 1, True),
        ("energi og næringsutvikling", 2, True),
        ("havvind", 2, False),
        ("zebra", 1, False),
        ("æser", 1, False),
        ("ørret", 1, False),
        ("åpenhet", 1, False),
    ]


def test_norwegian_key_orders_ae_oe_aa_after_z():
    names = ["Ålesund", "Ørsta", "Bergen", "Æra", "Zeta"]
    assert sorted(names, key=norwegian_key) == ["Bergen", "Zeta", "Æra", "Ørsta", "Ålesund"]


def test_places_names_municipalities_then_counties():
    brief = item("briefs", "b", kommuner=["1151", "4601"], fylker=["15"])
    assert places(brief, reference()) == ["Utsira", "Bergen", "Møre og Romsdal"]
    assert places(item("briefs", "none"), reference()) == []


def _partner(number: str, status: str, since: str | None = "2026-01-01", until=None) -> Partner:
    ref = reference()
    return Partner(
        number,
        ref[number],
        status,
        date.fromisoformat(since) if since else None,
        date.fromisoformat(until) if until else None,
        1,
        (Contact("Kari Testesen", "kari@example.org", "ordførar"),),
    )


def test_fee_table_lists_tiers_and_what_each_partner_in_good_standing_pays():
    tiers = (
        FeeTier(0, 4999, 50000),
        FeeTier(5000, 19999, 65000),
        FeeTier(20000, None, 100000),
    )
    partners = (
        _partner("1508", "pilot"),  # Ålesund, 58 509
        _partner("4614", "pilot"),  # Stord, 19 287
        _partner("4619", "active"),  # Eidfjord, 968
        _partner("46", "pilot"),  # Vestland fylkeskommune
        _partner("1506", "prospect", since=None),
        _partner("4602", "ended", until="2026-06-30"),
        _partner("1577", "pilot", since="2027-01-01"),
    )
    registry = Registry("partners.yaml", tiers, partners, {"briefs": AccessRule()})
    table = fee_table(registry, NOW.date())
    assert [(t.low, t.high, t.fee) for t in table.tiers] == [
        (0, 4999, 50000),
        (5000, 19999, 65000),
        (20000, None, 100000),
    ]
    assert [(p.name, p.fylke, p.fee) for p in table.partners] == [
        ("Eidfjord", "Vestland", 50000),
        ("Stord", "Vestland", 65000),
        ("Vestland fylkeskommune", "Vestland", 100000),
        ("Ålesund", "Møre og Romsdal", 100000),
    ]
    assert table.partners[1].population == 19287
    assert table.total == 315000


def _naive_translations(it: Item, items) -> list[Item]:
    """The definition, item by item: the index must give the same answer for every item."""
    same = [i for i in items if i.section == it.section and i is not it]
    root = it.meta.get("translation_of") or it.slug
    group = [i for i in same if i.slug == root or i.meta.get("translation_of") == root]
    return sorted((i for i in group if i.lang != it.lang), key=lambda i: i.lang)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["briefs", "pages"]),
            st.sampled_from(["a", "b", "c", "d"]),
            st.sampled_from(["nn", "nb"]),
            st.sampled_from([None, "a", "b", "c"]),
        ),
        max_size=12,
    )
)
def test_the_translation_index_agrees_with_the_definition(rows):
    items = [
        item(sec, slug, lang, **({"translation_of": to} if to else {}))
        for sec, slug, lang, to in rows
    ]
    index = TranslationIndex(items)
    for it in items:
        assert [id(i) for i in index.of(it)] == [id(i) for i in _naive_translations(it, items)]
