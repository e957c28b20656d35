"""Access rules: front matter, else the section's rule; public_after opens an item on its day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kommunepartner.access.rules import Access, effective_access
from kommunepartner.base.schema import OSLO
from kommunepartner.content.items import Item
from kommunepartner.content.registry import AccessRule

PUBLISHED = datetime(2026, 3, 1, 10, 0, tzinfo=OSLO)


def item(section: str = "briefs", **meta) -> Item:
    return Item(section, f"content/{section}/x.md", "x", {"date": PUBLISHED, **meta}, "", 1)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 0, 0, tzinfo=OSLO)


def test_front_matter_wins_over_the_section_rule():
    rule = AccessRule("partners", timedelta(days=180))
    assert effective_access(item(access="public"), rule, PUBLISHED) == Access("public")
    assert effective_access(item(access="partners"), AccessRule(), PUBLISHED).partners_only


def test_a_duration_counts_from_the_items_date_and_opens_on_that_day():
    rule = AccessRule("partners", timedelta(days=180))
    opens = date(2026, 8, 28)
    assert effective_access(item(), rule, at(opens - timedelta(days=1))) == Access(
        "partners", opens
    )
    assert effective_access(item(), rule, at(opens)) == Access("public")


def test_the_items_own_public_after_beats_the_rules():
    rule = AccessRule("partners", timedelta(days=180))
    it = item(public_after=date(2026, 4, 1))
    assert effective_access(it, rule, at(date(2026, 3, 31))).public_from == date(2026, 4, 1)
    assert effective_access(it, rule, at(date(2026, 4, 1))).level == "public"


def test_partners_only_without_public_after_stays_closed():
    far = at(date(2040, 1, 1))
    assert effective_access(item(access="partners"), AccessRule(), far) == Access("partners")


def test_pages_are_always_public():
    assert (
        effective_access(item("pages", access="partners"), AccessRule("partners"), PUBLISHED).level
        == "public"
    )


@given(
    default=st.sampled_from(["public", "partners"]),
    own=st.sampled_from([None, "public", "partners"]),
    rule_after=st.one_of(st.none(), st.integers(0, 800).map(lambda d: timedelta(days=d))),
    own_after=st.one_of(
        st.none(),
        st.integers(0, 800).map(lambda d: timedelta(days=d)),
        st.dates(date(2025, 1, 1), date(2028, 12, 31)),
    ),
    now=st.dates(date(2025, 1, 1), date(2029, 12, 31)),
)
def test_matches_a_reference_model(default, own, rule_after, own_after, now):
    meta = {}
    if own:
        meta["access"] = own
    if own_after is not None:
        meta["public_after"] = own_after
    got = effective_access(item(**meta), AccessRule(default, rule_after), at(now))

    level = own or default
    after = own_after if own_after is not None else rule_after
    opens = (PUBLISHED.date() + after) if isinstance(after, timedelta) else after
    if level == "public" or (opens is not None and now >= opens):
        assert got == Access("public")
    else:
        assert got == Access("partners", opens)
