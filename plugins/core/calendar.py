"""Calendars of events: one .ics per event, one for all events, one per series (iCalendar, RFC 5545).

Only public facts go in: title, summary, times, place and the page's address. An event's
`online_url` is for partners and is never read here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

import icalendar

from .content import EVENT_SERIES, Item
from .listing import primary_versions
from .schema import OSLO

UTC = ZoneInfo("UTC")
PRODID = "-//Initiativ Vest//Kommunepartner//NN"
REFRESH = timedelta(hours=6)  # how often a subscribed calendar should be fetched again
LINK_DURATION = timedelta(hours=1)  # web calendars need an end; used only when none is given
ALL_EVENTS = "calendar.ics"
SERIES_DIR = "kalender"


@dataclass(frozen=True)
class CalendarEvent:
    """One event as calendars show it: its item and the absolute address of its page."""

    item: Item
    page_url: str

    @property
    def start(self) -> datetime:
        return self.item.meta["start"].astimezone(OSLO)

    @property
    def end(self) -> datetime | None:
        end = self.item.meta.get("end")
        return end.astimezone(OSLO) if end else None

    @property
    def place(self) -> str:
        """'Name, address' of a physical or hybrid event; '' for a digital one."""
        loc = self.item.meta.get("location") or {}
        return ", ".join(p for p in (loc.get("name"), loc.get("address")) if p)


def ics_path(page_path: str, slug: str) -> str:
    """Where an event's own .ics lives: next to its page (`arrangement/x/` → `arrangement/x/x.ics`)."""
    return f"{page_path}{slug}.ics"


def series_path(series: str) -> str:
    return f"{SERIES_DIR}/{series}.ics"


def uid(event: CalendarEvent, host: str) -> str:
    """Stable across builds: the item's section and slug (and language for a translation)."""
    item = event.item
    suffix = f"-{item.lang}" if item.meta.get("translation_of") else ""
    return f"{item.section}-{item.slug}{suffix}@{host}"


def vevent(event: CalendarEvent, host: str, stamp: datetime) -> icalendar.Event:
    """The VEVENT of one event: times in Europe/Oslo (with TZID), public facts only."""
    item = event.item
    ev = icalendar.Event()
    ev.add("uid", uid(event, host))
    ev.add("dtstamp", stamp.astimezone(UTC))
    ev.add("dtstart", event.start)
    if event.end:
        ev.add("dtend", event.end)
    ev.add("summary", item.title)
    text = "\n\n".join(p for p in (item.summary_text, event.page_url) if p)
    ev.add("description", text)
    ev.add("url", event.page_url)
    if event.place:
        ev.add("location", event.place)
    ev.add("categories", [item.meta["series"]])
    ev.add("status", "CONFIRMED")
    ev.add("transp", "OPAQUE")
    return ev


def calendar_ics(name: str, events: Sequence[CalendarEvent], host: str, stamp: datetime) -> bytes:
    """A subscribable VCALENDAR with a VTIMEZONE for Europe/Oslo covering its events' years."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Oslo")
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    for event in sorted(events, key=lambda e: (e.start, e.item.slug)):
        cal.add_component(vevent(event, host, stamp))
    if events:
        years = [e.start.year for e in events]
        cal.add_missing_timezones(date(min(years) - 1, 1, 1), date(max(years) + 2, 1, 1))
    return cal.to_ical()


@dataclass(frozen=True)
class CalendarFile:
    """One .ics file of the output: its path (relative to the output root) and bytes."""

    path: str
    data: bytes


def calendar_files(
    events: Sequence[tuple[CalendarEvent, str]],
    names: dict[str, str],
    site_url: str,
    stamp: datetime,
) -> list[CalendarFile]:
    """Every calendar of the site: one per event, `calendar.ics`, and one per series.

    `events` pairs each published event with its page path (`arrangement/x/`); `names` holds the
    calendar names: "all" and one per series. Translations get their own .ics, but the
    subscribable calendars hold each event once.
    """
    host = urlsplit(site_url).hostname or "localhost"
    files = [
        CalendarFile(ics_path(path, e.item.slug), calendar_ics(e.item.title, [e], host, stamp))
        for e, path in events
    ]
    primary = {id(i) for i in primary_versions([e.item for e, _ in events])}
    listed = [e for e, _ in events if id(e.item) in primary]
    files.append(CalendarFile(ALL_EVENTS, calendar_ics(names["all"], listed, host, stamp)))
    for series in EVENT_SERIES:
        chosen = [e for e in listed if e.item.meta["series"] == series]
        files.append(
            CalendarFile(series_path(series), calendar_ics(names[series], chosen, host, stamp))
        )
    return files


@dataclass(frozen=True)
class CalendarLinks:
    """'Add to calendar' targets: the .ics next to the page, and Google's and Outlook's forms."""

    ics: str
    google: str
    outlook: str


def add_to_calendar(event: CalendarEvent, ics_url: str) -> CalendarLinks:
    """Plain links to the web calendars' own 'new event' forms (no script on our page)."""
    item = event.item
    start = event.start
    end = event.end or start + LINK_DURATION
    details = "\n\n".join(p for p in (item.summary_text, event.page_url) if p)

    def utc(d: datetime) -> str:
        return d.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    google = {
        "action": "TEMPLATE",
        "text": item.title,
        "dates": f"{utc(start)}/{utc(end)}",
        "details": details,
        "ctz": "Europe/Oslo",
    }
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": item.title,
        "startdt": start.isoformat(),
        "enddt": end.isoformat(),
        "body": details,
    }
    if event.place:
        google["location"] = outlook["location"] = event.place
    return CalendarLinks(
        ics_url,
        "https://calendar.google.com/calendar/render?" + urlencode(google),
        "https://outlook.office.com/calendar/0/deeplink/compose?" + urlencode(outlook),
    )
