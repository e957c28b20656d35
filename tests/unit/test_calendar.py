"""Calendars: times in Europe/Oslo with a VTIMEZONE, right in UTC on both sides of a DST change."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import icalendar
import ics
import pytest

from kommunepartner.base.schema import a_datetime
from kommunepartner.content.items import Item
from kommunepartner.outputs.calendar import (
    CalendarEvent,
    add_to_calendar,
    calendar_files,
    calendar_ics,
)

STAMP = datetime(2026, 3, 1, 11, 0, tzinfo=UTC)
NAMES = {"all": "Alle", **{s: s for s in ("tenk-nytt", "partnertreff", "erfaringsdeling")}}
NAMES |= {"webinar": "webinar", "konferanse": "konferanse"}


def event(slug: str, start: str, end: str | None = None, **meta) -> CalendarEvent:
    m = {"title": f"Arrangement {slug}", "start": a_datetime(start), "series": "tenk-nytt"}
    m |= {"format": "digital", "summary": "Kort om det.", **meta}
    if end:
        m["end"] = a_datetime(end)
    item = Item("events", f"content/events/{slug}.md", slug, m, "", 1, "nn")
    return CalendarEvent(item, f"https://kp.example.org/arrangement/{slug}/")


# Local 10:00 is 09:00 UTC in winter time (CET) and 08:00 UTC in summer time (CEST).
DST_CASES = [
    ("2026-03-28 10:00", "2026-03-28T09:00:00+00:00"),  # Saturday before the spring change
    ("2026-03-29 10:00", "2026-03-29T08:00:00+00:00"),  # first morning of summer time
    ("2026-10-24 10:00", "2026-10-24T08:00:00+00:00"),  # last day of summer time
    ("2026-10-25 10:00", "2026-10-25T09:00:00+00:00"),  # first morning of winter time
]


@pytest.mark.parametrize(("local", "utc"), DST_CASES)
def test_both_parsers_read_the_right_utc_time(local, utc):
    data = calendar_ics("Test", [event("a", local)], "kp.example.org", STAMP)
    ev = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert ev.decoded("dtstart").astimezone(UTC).isoformat() == utc
    assert ev["dtstart"].params["TZID"] == "Europe/Oslo"
    (other,) = ics.Calendar(data.decode()).events
    assert other.begin.to("utc").isoformat() == utc


def test_an_event_across_the_spring_change_lasts_one_hour_less_than_the_clock_says():
    e = event("natt", "2026-03-28 22:00", "2026-03-29 04:00")
    data = calendar_ics("Test", [e], "kp.example.org", STAMP)
    (other,) = ics.Calendar(data.decode()).events
    assert other.begin.to("utc").isoformat() == "2026-03-28T21:00:00+00:00"
    assert other.end.to("utc").isoformat() == "2026-03-29T02:00:00+00:00"
    # Python subtracts times of one zone on the wall clock (6 h); in UTC it is 5 h.
    assert (other.end.to("utc") - other.begin.to("utc")).total_seconds() == 5 * 3600


def test_the_calendar_carries_a_vtimezone_for_oslo_with_both_offsets():
    data = calendar_ics("Test", [event("a", "2026-03-28 10:00")], "kp.example.org", STAMP)
    cal = icalendar.Calendar.from_ical(data)
    (tz,) = cal.walk("VTIMEZONE")
    assert tz["tzid"] == "Europe/Oslo"
    assert b"TZOFFSETTO:+0100" in tz.to_ical() and b"TZOFFSETTO:+0200" in tz.to_ical()
    assert cal.get_missing_tzids() == set()


def test_uids_are_stable_and_public_facts_only():
    e = event("a", "2026-03-28 10:00", online_url="https://meet.example.org/SECRET")
    first = calendar_ics("Test", [e], "kp.example.org", STAMP)
    later = calendar_ics("Test", [e], "kp.example.org", datetime(2026, 5, 1, tzinfo=UTC))
    uid = icalendar.Calendar.from_ical(first).walk("VEVENT")[0]["uid"]
    assert uid == "events-a@kp.example.org"
    assert uid == icalendar.Calendar.from_ical(later).walk("VEVENT")[0]["uid"]
    assert b"SECRET" not in first and b"meet.example.org" not in first


def test_place_goes_in_location():
    e = event("b", "2026-03-29 10:00", format="fysisk")
    e.item.meta["location"] = {"name": "Bergen rådhus", "address": "Rådhusgaten 10, 5014 Bergen"}
    ev = icalendar.Calendar.from_ical(calendar_ics("T", [e], "h", STAMP)).walk("VEVENT")[0]
    assert str(ev["location"]) == "Bergen rådhus, Rådhusgaten 10, 5014 Bergen"


def test_calendar_files_one_per_event_all_events_and_one_per_series():
    a = event("a", "2026-03-28 10:00")
    b = event("b", "2026-03-29 10:00", series="partnertreff")
    files = calendar_files(
        [(a, "arrangement/a/"), (b, "arrangement/b/")], NAMES, "https://kp.example.org", STAMP
    )
    paths = {f.path: f.data for f in files}
    assert set(paths) == {
        "arrangement/a/a.ics",
        "arrangement/b/b.ics",
        "calendar.ics",
        "kalender/tenk-nytt.ics",
        "kalender/partnertreff.ics",
        "kalender/erfaringsdeling.ics",
        "kalender/webinar.ics",
        "kalender/konferanse.ics",
    }

    def uids(path: str) -> list[str]:
        return [str(e["uid"]) for e in icalendar.Calendar.from_ical(paths[path]).walk("VEVENT")]

    assert uids("calendar.ics") == ["events-a@kp.example.org", "events-b@kp.example.org"]
    assert uids("kalender/partnertreff.ics") == ["events-b@kp.example.org"]
    assert uids("kalender/webinar.ics") == []
    assert len(ics.Calendar(paths["kalender/webinar.ics"].decode()).events) == 0


def test_add_to_calendar_links_carry_utc_times_and_no_online_url():
    e = event("a", "2026-10-25 10:00", "2026-10-25 12:00", online_url="https://meet.example.org/x")
    links = add_to_calendar(e, "https://kp.example.org/arrangement/a/a.ics")
    google = parse_qs(urlsplit(links.google).query)
    assert google["dates"] == ["20261025T090000Z/20261025T110000Z"]
    outlook = parse_qs(urlsplit(links.outlook).query)
    assert outlook["startdt"] == ["2026-10-25T10:00:00+01:00"]
    assert "meet.example.org" not in links.google + links.outlook
    assert urlsplit(links.google).hostname == "calendar.google.com"


def test_the_module_never_reads_online_url():
    source = Path("kommunepartner/outputs/calendar.py").read_text(encoding="utf-8")
    assert "online_url" not in source.split('"""', 2)[2]
