"""What an event page shows: times in Oslo in the page's written standard, sign-up, JSON-LD."""

from __future__ import annotations

from datetime import datetime

from kommunepartner.base.schema import OSLO, a_datetime
from kommunepartner.content.items import Item
from kommunepartner.outputs.calendar import CalendarEvent, CalendarLinks
from kommunepartner.outputs.events import event_jsonld, event_view, online_html, when_text

LINKS = CalendarLinks("ics", "google", "outlook")
ORG = {"@type": "Organization", "name": "Initiativ Vest", "url": "https://kp.example.org/"}


def event(lang: str = "nn", **meta) -> CalendarEvent:
    m = {"title": "Treff", "start": a_datetime("2026-03-26 10:00"), "series": "partnertreff"}
    m |= {"format": "fysisk", "location": {"name": "Rådhuset", "address": "Torget 1"}, **meta}
    item = Item("events", "content/events/treff.md", "treff", m, "", 1, lang)
    return CalendarEvent(item, "https://kp.example.org/arrangement/treff/")


def test_when_in_nynorsk_and_bokmal():
    start = datetime(2026, 3, 28, 22, 0, tzinfo=OSLO)
    same_day = datetime(2026, 3, 28, 23, 30, tzinfo=OSLO)
    assert when_text(start, same_day, "nn", "kl.") == "laurdag 28. mars 2026 kl. 22.00–23.30"
    assert when_text(start, None, "nb", "kl.") == "lørdag 28. mars 2026 kl. 22.00"
    next_day = datetime(2026, 3, 29, 4, 0, tzinfo=OSLO)
    assert (
        when_text(start, next_day, "nn", "kl.")
        == "laurdag 28. mars 2026 kl. 22.00 – søndag 29. mars 2026 kl. 04.00"
    )


def test_times_given_in_utc_are_shown_in_oslo_time():
    e = event(start=a_datetime("2026-10-25T09:00:00Z"), end=a_datetime("2026-10-25T11:00:00Z"))
    view = event_view(e, LINKS, ("s", "a"), a_datetime("2026-01-01 12:00"), "kl.")
    assert view.when == "søndag 25. oktober 2026 kl. 10.00–12.00"
    assert view.start_iso == "2026-10-25T10:00:00+01:00"


def test_registration_open_until_the_deadline_then_closed():
    reg = {"email": "pamelding@example.org", "deadline": a_datetime("2026-03-20 12:00")}
    e = event(registration=reg, capacity=40)
    before = event_view(e, LINKS, ("s", "a"), a_datetime("2026-03-20 11:59"), "kl.")
    after = event_view(e, LINKS, ("s", "a"), a_datetime("2026-03-20 12:01"), "kl.")
    assert before.registration.open and not after.registration.open
    assert before.registration.href == "mailto:pamelding@example.org"
    assert before.registration.deadline == "fredag 20. mars 2026 kl. 12.00"
    assert before.capacity == 40 and before.place_name == "Rådhuset"


def test_jsonld_attendance_mode_and_location_per_format():
    fysisk = event_jsonld(event(), ORG)
    assert fysisk["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert fysisk["location"]["address"]["streetAddress"] == "Torget 1"
    digital = event_jsonld(event(format="digital", location=None), ORG)
    assert digital["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert digital["location"] == {
        "@type": "VirtualLocation",
        "url": "https://kp.example.org/arrangement/treff/",
    }
    hybrid = event_jsonld(event(format="hybrid", online_url="https://meet.example.org/x"), ORG)
    assert hybrid["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [p["@type"] for p in hybrid["location"]] == ["Place", "VirtualLocation"]
    assert "meet.example.org" not in str(hybrid)


def test_the_sealed_fragment_escapes_the_link():
    assert online_html('https://x.example/?a=1&b="2"', "Møtet") == (
        '<p class="online-link"><a href="https://x.example/?a=1&amp;b=&quot;2&quot;">Møtet</a></p>'
    )
