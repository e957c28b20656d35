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

from kommunepartner.base.parts import Part, fresh
from kommunepartner.base.schema import OSLO
from kommunepartner.content.items import EVENT_SERIES, Item
from kommunepartner.outputs.listing import primary_versions

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


@dataclass(frozen=True)
class VeventFacts:
    """Everything a VEVENT shows apart from its DTSTAMP: equal facts give equal bytes."""

    uid: str
    start: datetime  # in Europe/Oslo, as every time of a calendar
    end: datetime | None
    summary: str
    description: str
    url: str
    location: str
    series: str

    @classmethod
    def of(cls, event: CalendarEvent, host: str) -> VeventFacts:
        item = event.item
        text = "\n\n".join(p for p in (item.summary_text, event.page_url) if p)
        return cls(
            uid(event, host),
            event.start,
            event.end,
            item.title,
            text,
            event.page_url,
            event.place,
            item.meta["series"],
        )


def vevent(facts: VeventFacts, stamp: datetime) -> icalendar.Event:
    """The VEVENT of one event: times in Europe/Oslo (with TZID), public facts only."""
    ev = icalendar.Event()
    ev.add("uid", facts.uid)
    ev.add("dtstamp", stamp.astimezone(UTC))
    ev.add("dtstart", facts.start)
    if facts.end:
        ev.add("dtend", facts.end)
    ev.add("summary", facts.summary)
    ev.add("description", facts.description)
    ev.add("url", facts.url)
    if facts.location:
        ev.add("location", facts.location)
    ev.add("categories", [facts.series])
    ev.add("status", "CONFIRMED")
    ev.add("transp", "OPAQUE")
    return ev


END = b"END:VCALENDAR\r\n"
# A VEVENT is serialised once with this DTSTAMP, which each build replaces with its own.
_SLOT = datetime(1970, 1, 1, tzinfo=UTC)


def _stamp_line(stamp: datetime) -> bytes:
    ev = icalendar.Event()
    ev.add("dtstamp", stamp.astimezone(UTC))
    return ev.content_line("DTSTAMP", ev["DTSTAMP"]).to_ical() + b"\r\n"


def _vevent_around_stamp(facts: VeventFacts) -> tuple[bytes, bytes]:
    """The VEVENT's bytes before and after its DTSTAMP line."""
    line = b"\r\n" + _stamp_line(_SLOT)  # a whole line: a value never holds a bare CRLF
    before, found, after = vevent(facts, _SLOT).to_ical().partition(line)
    if not found:
        raise ValueError(f"icalendar wrote no DTSTAMP line for {facts.uid}")
    return before + b"\r\n", after


def _header(name: str) -> bytes:
    """A VCALENDAR's own properties, up to where its components begin."""
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
    data = cal.to_ical()
    if not data.endswith(END):
        raise ValueError("icalendar ended a VCALENDAR without END:VCALENDAR")
    return data[: -len(END)]


def _vtimezone(first: date, last: date) -> bytes:
    return icalendar.Timezone.from_tzid(OSLO.key, first_date=first, last_date=last).to_ical()


def calendar_ics(
    name: str, events: Sequence[CalendarEvent], host: str, stamp: datetime, part: Part = fresh
) -> bytes:
    """A subscribable VCALENDAR with a VTIMEZONE for Europe/Oslo covering its events' years.

    The bytes are those icalendar gives for the whole calendar: its properties, the VTIMEZONE
    (every time is in Europe/Oslo), then the VEVENTs by start. Each part is serialised by
    icalendar on its own, through `part`, which may give it from an earlier build instead.
    """
    out = [part(("header", name), lambda: _header(name))]
    if events:
        years = [e.start.year for e in events]
        first, last = date(min(years) - 1, 1, 1), date(max(years) + 2, 1, 1)
        out.append(part(("vtimezone", first, last), lambda: _vtimezone(first, last)))
    stamp_line = _stamp_line(stamp)
    for event in sorted(events, key=lambda e: (e.start, e.item.slug)):
        facts = VeventFacts.of(event, host)
        key = ("vevent", facts, facts.start.isoformat(), facts.end and facts.end.isoformat())
        before, after = part(key, lambda f=facts: _vevent_around_stamp(f))
        out += (before, stamp_line, after)
    out.append(END)
    return b"".join(out)


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
    part: Part = fresh,
) -> list[CalendarFile]:
    """Every calendar of the site: one per event, `calendar.ics`, and one per series.

    `events` pairs each published event with its page path (`arrangement/x/`); `names` holds the
    calendar names: "all" and one per series. Translations get their own .ics, but the
    subscribable calendars hold each event once.
    """
    host = urlsplit(site_url).hostname or "localhost"
    files = [
        CalendarFile(
            ics_path(path, e.item.slug), calendar_ics(e.item.title, [e], host, stamp, part)
        )
        for e, path in events
    ]
    primary = {id(i) for i in primary_versions([e.item for e, _ in events])}
    listed = [e for e, _ in events if id(e.item) in primary]
    files.append(CalendarFile(ALL_EVENTS, calendar_ics(names["all"], listed, host, stamp, part)))
    for series in EVENT_SERIES:
        chosen = [e for e in listed if e.item.meta["series"] == series]
        files.append(
            CalendarFile(
                series_path(series), calendar_ics(names[series], chosen, host, stamp, part)
            )
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
