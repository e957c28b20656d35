"""Calendars and feeds made from remembered parts are byte for byte what a fresh render gives.

A preview server keeps each VEVENT and each feed from the previous build (kommunepartner/build/context.py
PartMemo) and makes again only what changed; these tests build twice with one memo and compare
the second build with a fresh one after an edit, a new build time, or nothing at all.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import icalendar

from kommunepartner.build.context import PartMemo
from kommunepartner.outputs.calendar import calendar_files
from kommunepartner.outputs.feeds import (
    EntryFacts,
    _generator,
    render_atom,
    render_feed,
    render_rss,
)
from tests.unit.test_calendar import NAMES, event
from tests.unit.test_feeds import NOW, SITE, feeds

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


def test_an_offset_only_change_is_not_taken_for_the_same_time():
    """Equal instants compare equal as datetimes; the key holds their text too."""
    memo = PartMemo()
    item = feeds()["notat/"].entries[0].item
    shifted = dataclasses.replace(
        item, meta={**item.meta, "date": item.meta["date"].astimezone(UTC)}
    )
    feed = feeds()["notat/"]
    moved = dataclasses.replace(
        feed, entries=(dataclasses.replace(feed.entries[0], item=shifted), *feed.entries[1:])
    )
    again = twice(
        lambda p: render_atom(feed, SITE, NOW, p), lambda p: render_atom(moved, SITE, NOW, p), memo
    )
    assert again == render_atom(moved, SITE, NOW)
    assert again != render_atom(feed, SITE, NOW)


def test_feeds_from_the_memo_equal_what_feedgen_writes_at_the_build_time():
    later = datetime(2026, 12, 24, 9, 15, 42, 123456, tzinfo=UTC)
    memo = PartMemo()
    for when in (NOW, later):
        with memo.build() as part:
            for feed in feeds().values():
                entries = [EntryFacts.of(e, SITE.publisher) for e in feed.entries]
                direct = _generator(feed, entries, SITE, when, feed.atom_path)
                assert render_atom(feed, SITE, when, part) == direct.atom_str(pretty=True)
                direct = _generator(feed, entries, SITE, when, feed.rss_path)
                assert render_rss(feed, SITE, when, part) == direct.rss_str(pretty=True)


def test_an_edited_entry_is_rendered_again_in_its_feeds():
    memo = PartMemo()
    feed = feeds()["notat/"]
    entries = [
        dataclasses.replace(e, content_html="<p>Ny tekst</p>") if e.content_html else e
        for e in feed.entries
    ]
    edited = dataclasses.replace(feed, entries=tuple(entries))
    for kind in ("atom", "rss"):
        again = twice(
            lambda p, k=kind: render_feed(k, feed, SITE, NOW, p),
            lambda p, k=kind: render_feed(k, edited, SITE, NOW, p),
            memo,
        )
        assert again == render_feed(kind, edited, SITE, NOW)
        assert b"Ny tekst" in again and b"Open body" not in again


def recorder():
    """(made, part_of): part_of(p, key) asks `p` for key's part; `made` lists what was made."""
    made = []

    def part_of(p, key):
        return p(key, lambda: made.append(key) or key.upper())

    return made, part_of


def test_the_memo_keeps_only_the_latest_build_and_survives_a_failed_one():
    memo = PartMemo()
    made, part_of = recorder()

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


def test_a_one_shot_build_makes_every_part_and_keeps_none():
    """The command line's build ends its process: parts it kept would only add to its memory."""
    from kommunepartner.build.context import ONE_SHOT

    memo = PartMemo()
    made, part_of = recorder()
    with memo.build() as p:
        part_of(p, "a")
    with memo.build({ONE_SHOT: True}) as p:
        assert part_of(p, "a") == "A" and part_of(p, "b") == "B"
    assert memo._kept == {"a": "A"}  # what the preview build left, untouched
    assert made == ["a", "a", "b"]
