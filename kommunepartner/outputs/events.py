"""What an event page and an event card show, as plain values, and the event's schema.org JSON-LD.

Times are shown in Europe/Oslo in the page's written standard. The `online_url` is never read
here: it reaches a page only sealed for partners (see plugins/calendar).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from kommunepartner.base.i18n import long_date, weekday
from kommunepartner.base.schema import OSLO
from kommunepartner.outputs.calendar import CalendarEvent, CalendarLinks

ATTENDANCE = {
    "digital": "https://schema.org/OnlineEventAttendanceMode",
    "fysisk": "https://schema.org/OfflineEventAttendanceMode",
    "hybrid": "https://schema.org/MixedEventAttendanceMode",
}


def clock(d: datetime) -> str:
    """'09.30': Norwegian writes hours and minutes with a full stop."""
    return f"{d:%H.%M}"


def day_text(d: datetime, lang: str) -> str:
    """'torsdag 26. mars 2026'."""
    return f"{weekday(d, lang)} {long_date(d, lang)}"


def when_text(start: datetime, end: datetime | None, lang: str, at: str) -> str:
    """'torsdag 26. mars 2026 kl. 10.00–12.00', or both days when the event spans several."""
    first = f"{day_text(start, lang)} {at} {clock(start)}"
    if end is None:
        return first
    if end.date() == start.date():
        return f"{first}–{clock(end)}"
    return f"{first} – {day_text(end, lang)} {at} {clock(end)}"


@dataclass(frozen=True)
class Registration:
    """How to sign up: a link (a web form, or mailto:), until when, and whether it is still open."""

    href: str
    label: str  # the address for an email sign-up, else ''
    deadline: str  # formatted, or ''
    deadline_iso: str
    open: bool


@dataclass(frozen=True)
class EventView:
    """Everything the event page and card format; no decisions left for the template."""

    when: str
    start_iso: str
    end_iso: str
    day: str  # the start day, for cards
    format: str  # digital | fysisk | hybrid
    series: str
    place_name: str
    place_address: str
    registration: Registration | None
    capacity: int | None
    links: CalendarLinks
    series_calendar: str  # absolute URL of the series' calendar
    all_calendar: str
    online: bool  # digital or hybrid: the page says how partners get the link
    online_sealed: dict | None = None  # the sealed online_url payload, when one was sealed


def registration(meta: dict, now: datetime, lang: str, at: str) -> Registration | None:
    reg = meta.get("registration")
    if not reg:
        return None
    deadline = reg.get("deadline")
    closes = deadline or meta["start"]
    href = reg["url"] if "url" in reg else f"mailto:{reg['email']}"
    return Registration(
        href=href,
        label="" if "url" in reg else reg["email"],
        deadline=when_text(deadline.astimezone(OSLO), None, lang, at) if deadline else "",
        deadline_iso=deadline.isoformat() if deadline else "",
        open=now <= closes,
    )


def event_view(
    event: CalendarEvent,
    links: CalendarLinks,
    calendars: tuple[str, str],
    now: datetime,
    at: str,
) -> EventView:
    """The view of one event for its page and its card, in the event's own language."""
    item, lang = event.item, event.item.lang
    meta = item.meta
    loc = meta.get("location") or {}
    return EventView(
        when=when_text(event.start, event.end, lang, at),
        start_iso=event.start.isoformat(),
        end_iso=event.end.isoformat() if event.end else "",
        day=day_text(event.start, lang),
        format=meta["format"],
        series=meta["series"],
        place_name=loc.get("name", ""),
        place_address=loc.get("address", ""),
        registration=registration(meta, now, lang, at),
        capacity=meta.get("capacity"),
        links=links,
        series_calendar=calendars[0],
        all_calendar=calendars[1],
        online=meta["format"] in ("digital", "hybrid"),
    )


def event_jsonld(event: CalendarEvent, organizer: dict, image: str = "") -> dict:
    """schema.org Event: public facts only. A virtual location points at the event's page."""
    item, meta = event.item, event.item.meta
    places: list[dict] = []
    loc = meta.get("location")
    if loc:
        place = {"@type": "Place", "name": loc["name"]}
        if loc.get("address"):
            place["address"] = {
                "@type": "PostalAddress",
                "streetAddress": loc["address"],
                "addressCountry": "NO",
            }
        places.append(place)
    if meta["format"] in ("digital", "hybrid"):
        places.append({"@type": "VirtualLocation", "url": event.page_url})
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": item.title,
        "url": event.page_url,
        "startDate": event.start.isoformat(),
        "eventAttendanceMode": ATTENDANCE[meta["format"]],
        "eventStatus": "https://schema.org/EventScheduled",
        "location": places[0] if len(places) == 1 else places,
        "organizer": organizer,
        "inLanguage": item.lang,
    }
    if event.end:
        data["endDate"] = event.end.isoformat()
    if item.summary_text:
        data["description"] = item.summary_text
    if meta.get("capacity"):
        data["maximumAttendeeCapacity"] = meta["capacity"]
    reg = meta.get("registration")
    if reg and reg.get("url"):
        offer = {"@type": "Offer", "url": reg["url"], "availability": "https://schema.org/InStock"}
        if reg.get("deadline"):
            offer["validThrough"] = reg["deadline"].isoformat()
        data["offers"] = offer
    if image:
        data["image"] = image
    return data


def online_html(url: str, label: str) -> str:
    """The fragment sealed for partners: the link to the digital meeting."""
    return f'<p class="online-link"><a href="{escape(url)}">{escape(label)}</a></p>'
