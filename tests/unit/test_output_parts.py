"""Calendars made from remembered parts are byte for byte what a fresh render gives.

A preview server keeps each VEVENT from the previous build (plugins/site/context.py
PartMemo) and makes again only what changed; these tests build twice with one memo and compare
the second build with a fresh one after an edit, a new build time, or nothing at all.
"""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar

from plugins.core.calendar import calendar_files
from plugins.site.context import PartMemo
from tests.unit.test_calendar import NAMES, event

URL = "https://kp.example.org"
STAMP = datetime(2026, 3, 1, 11, 0, tzinfo=UTC)


def events(**changed):
    a = event("a", "2026-03-28 10:00", "2026-03-28 12:00", format="fysisk")
    a.item.meta["location"] = {"name": "Bergen rådhus", "address": "Rådhusgaten 10"}
    b = event("b", "2026-10-25 10:00", series="partnertreff", **changed)
    return [(a, "arrangement/a/"), (b, "arrangement/b/")]


def ics(pairs, stamp=STAMP, part=None) -> dict[str, bytes]:
    files = calendar_files(pairs, NAMES, URL, stamp, *([part] if part else []))
    return {f.path: f.data for f in files}


def twice(first, second, memo: PartMemo):
    """Run `first` then `second`, each as one build with the memo; the second's result."""
    with memo.build() as part:
        first(part)
    with memo.build() as part:
        return second(part)


def test_calendars_from_remembered_vevents_equal_fresh_ones():
    memo = PartMemo()
    again = twice(lambda p: ics(events(), part=p), lambda p: ics(events(), part=p), memo)
    assert again == ics(events())
    # The same bytes as icalendar makes of the whole calendar in one go.
    whole = icalendar.Calendar.from_ical(again["calendar.ics"]).to_ical()
    assert again["calendar.ics"] == whole


def test_a_new_build_time_is_in_every_remembered_vevent():
    memo = PartMemo()
    later = datetime(2026, 3, 2, 8, 30, 15, 500, tzinfo=UTC)
    again = twice(lambda p: ics(events(), part=p), lambda p: ics(events(), later, p), memo)
    assert again == ics(events(), later)
    assert b"DTSTAMP:20260302T083015Z\r\n" in again["calendar.ics"]
    assert b"DTSTAMP:20260301" not in b"".join(again.values())


def test_an_edited_event_is_serialised_again_everywhere_it_shows():
    memo = PartMemo()
    edited = events(summary="Nytt samandrag.", title="Nytt namn")
    again = twice(lambda p: ics(events(), part=p), lambda p: ics(edited, part=p), memo)
    assert again == ics(edited)
    for path in ("arrangement/b/b.ics", "calendar.ics", "kalender/partnertreff.ics"):
        assert b"SUMMARY:Nytt namn" in again[path], path
        assert b"Nytt samandrag." in again[path], path


def test_a_moved_event_gets_its_new_times_and_the_vtimezone_its_years():
    memo = PartMemo()
    moved = events()
    b = moved[1][0]
    b.item.meta["start"] = b.item.meta["start"].replace(year=2029)
    again = twice(lambda p: ics(events(), part=p), lambda p: ics(moved, part=p), memo)
    assert again == ics(moved)
    assert b"DTSTART;TZID=Europe/Oslo:20291025T100000" in again["calendar.ics"]


def test_the_memo_keeps_only_the_latest_build_and_survives_a_failed_one():
    memo = PartMemo()
    made = []

    def part_of(p, key):
        return p(key, lambda: made.append(key) or key.upper())

    with memo.build() as p:
        assert part_of(p, "a") == "A" and part_of(p, "b") == "B"
    try:
        with memo.build() as p:
            part_of(p, "c")
            raise RuntimeError("the build stopped")
    except RuntimeError:
        pass
    with memo.build() as p:
        part_of(p, "a")
    with memo.build() as p:
        part_of(p, "a")
        part_of(p, "b")
    assert made == ["a", "b", "c", "b"]  # "b" was dropped by the build that used only "a"
