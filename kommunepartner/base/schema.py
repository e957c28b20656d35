"""Declarative front-matter and registry field types: each checks one value and says what is valid."""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kommunepartner.base.kommuner import FYLKER, reference, suggest

OSLO = ZoneInfo("Europe/Oslo")


class Invalid(ValueError):
    """A value that does not fit its field; the message says what would be valid.

    `at` points inside the value (a list index, a sub-field) so the message names that line.
    """

    def __init__(self, message: str, at: tuple = (), more: list[tuple[tuple, str]] = ()):
        super().__init__(message)
        self.at = at
        self.more = list(more)  # further problems in the same value (other list items)

    def each(self) -> list[tuple[tuple, str]]:
        """Every problem in the value as (where inside it, message)."""
        return [(self.at, str(self)), *self.more]


def did_you_mean(value: object, choices) -> str:
    close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" — did you mean '{close[0]}'?" if close else ""


def misspelt(given, fields) -> set[str]:
    """The known fields that some unknown given key looks like (reported as 'did you mean')."""
    known = [str(f) for f in fields]
    return {
        close[0]
        for key in given
        if key not in fields
        for close in [difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)]
        if close
    }


@dataclass(frozen=True)
class Field:
    """One field: a checker that turns the raw YAML value into a clean one or raises Invalid."""

    check: Callable[[object], object]
    required: bool = False


@dataclass(frozen=True)
class Schema:
    """The fields of one kind of record."""

    name: str
    fields: dict[str, Field] = field(default_factory=dict)


def text(max_len: int = 0) -> Callable[[object], str]:
    def check(v: object) -> str:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        if not isinstance(v, str):
            raise Invalid(f"must be text, not {_kind(v)} — put the text in quotes")
        if not v.strip():
            raise Invalid("is empty — write some text")
        if max_len and len(v) > max_len:
            raise Invalid(f"is {len(v)} characters long — keep it to {max_len}")
        return v.strip()

    return check


def _kind(v: object) -> str:
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return "a number" if isinstance(v, (int, float)) else type(v).__name__


def one_of(*choices: str, labels: dict[str, str] | None = None) -> Callable[[object], str]:
    """One of a few words; `labels` explain them in the message, e.g. nn (nynorsk)."""
    shown = ", ".join(f"{c} ({labels[c]})" if labels and c in labels else c for c in choices)

    def check(v: object) -> str:
        if not isinstance(v, str) or v not in choices:
            raise Invalid(f"'{v}' is not one of {shown}{did_you_mean(v, choices)}")
        return v

    return check


def integer(minimum: int = 0, maximum: int | None = None, example: int = 1):
    """A whole number in range; `example` is shown in the message when the value is not one."""

    def check(v: object) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            raise Invalid(f"'{v}' is not a whole number — write digits only, e.g. {example}")
        if v < minimum or (maximum is not None and v > maximum):
            upper = f" and at most {maximum}" if maximum is not None else ""
            raise Invalid(f"{v} is out of range — use at least {minimum}{upper}")
        return v

    return check


def mapping(fields: dict[str, Field], name: str) -> Callable[[object], dict]:
    """A nested mapping (an event's location, registration); problems point at the sub-field."""

    def check(v: object) -> dict:
        if not isinstance(v, dict):
            raise Invalid(f"must be a mapping with {', '.join(fields)}, e.g. {{{_first(fields)}}}")
        out = {}
        for key, value in v.items():
            if key not in fields:
                hint = did_you_mean(key, fields) or f" — {name} takes {', '.join(fields)}"
                raise Invalid(f"unknown field{hint}", at=(key,))
            try:
                out[key] = fields[key].check(value)
            except Invalid as exc:
                raise Invalid(str(exc), at=(key, *exc.at)) from None
        missing = [k for k, f in fields.items() if f.required and k not in out]
        if missing:
            raise Invalid(f"{name} needs {', '.join(missing)}")
        return out

    return check


def _first(fields: dict[str, Field]) -> str:
    return f"{next(iter(fields))}: …"


def boolean(v: object) -> bool:
    if not isinstance(v, bool):
        raise Invalid(f"'{v}' is not true or false")
    return v


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{2}:?\d{2})?$"
)


def a_date(v: object) -> date:
    if isinstance(v, date) and not isinstance(v, datetime):
        return v
    m = _DATE.match(str(v).strip())
    if not m:
        raise Invalid(f"'{v}' is not a date — write YYYY-MM-DD, e.g. 2026-03-01")
    return _real_date(v, *map(int, m.groups()))


def _real_date(v: object, year: int, month: int, day: int) -> date:
    """The date, or an Invalid that says which part is out of range."""
    if not 1 <= month <= 12:
        raise Invalid(f"'{v}' has no month {month} — months go from 01 to 12")
    days = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= days or year < 1:
        raise Invalid(f"'{v}' is not a real date — {_MONTHS[month - 1]} {year} has {days} days")
    return date(year, month, day)


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def a_datetime(v: object) -> datetime:
    """A time with or without seconds; without an offset it is Europe/Oslo. A date alone is 00:00."""
    s = str(v).strip()
    if _DATE.match(s):
        d = a_date(s)
        return datetime(d.year, d.month, d.day, tzinfo=OSLO)
    m = _DATETIME.match(s)
    if not m:
        raise Invalid(
            f"'{v}' is not a date and time — write YYYY-MM-DD HH:MM, e.g. 2026-03-01 10:00"
        )
    y, mo, d, h, mi, sec, off = m.groups()
    day = _real_date(v, int(y), int(mo), int(d))
    if int(h) > 23 or int(mi) > 59 or int(sec or 0) > 59:
        raise Invalid(f"'{v}' is not a real time of day — use 00:00 to 23:59")
    naive = datetime(day.year, day.month, day.day, int(h), int(mi), int(sec or 0))
    if not off:
        return naive.replace(tzinfo=OSLO)
    off = _colon(off) if off != "Z" else "+00:00"
    if int(off[1:3]) > 14 or int(off[4:6]) > 59:
        raise Invalid(f"'{v}' has no real time-zone offset — leave it out (Norway) or use +01:00")
    return datetime.fromisoformat(naive.isoformat() + off)


def _colon(off: str) -> str:
    return off if ":" in off else off[:3] + ":" + off[3:]


_DURATION = re.compile(r"^(\d+)\s*(days?|dagar|dager|weeks?|veker|uker|months?|månader|måneder)$")
_UNIT_DAYS = {"d": 1, "w": 7, "v": 7, "u": 7, "m": 30}


def date_or_duration(v: object) -> date | timedelta:
    """`public_after`: a date, or a duration from the item's date such as `180 days`."""
    s = str(v).strip()
    m = _DURATION.match(s)
    if m:
        return timedelta(days=int(m.group(1)) * _UNIT_DAYS[m.group(2)[0]])
    try:
        return a_date(s)
    except Invalid:
        raise Invalid(
            f"'{v}' is neither a date (YYYY-MM-DD) nor a duration like '180 days'"
        ) from None


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug(v: object) -> str:
    s = str(v)
    if not _SLUG.match(s):
        raise Invalid(
            f"'{v}' is not a slug — use lower-case a–z, digits and single hyphens,"
            " e.g. 'havvind-i-nordsjoen'"
        )
    return s


_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def email(v: object) -> str:
    s = str(v).strip()
    if not _EMAIL.match(s):
        raise Invalid(f"'{v}' is not an email address — write e.g. kari.nordmann@example.org")
    return s


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


def url(v: object) -> str:
    s = str(v).strip()
    if not _URL.match(s):
        raise Invalid(
            f"'{v}' is not a web address — write it in full, e.g. https://example.org/påmelding"
        )
    return s


def list_of(
    item: Callable[[object], object],
    *,
    allow_single: bool = True,
    example: str = "[energi, samferdsel]",
) -> Callable[[object], list]:
    """A list; each element is checked and the first bad one is reported with its index."""

    def check(v: object) -> list:
        if allow_single and isinstance(v, (str, int)) and not isinstance(v, bool):
            v = [v]
        if not isinstance(v, list):
            raise Invalid(f"must be a list, e.g. {example}")
        out, bad = [], []
        for i, element in enumerate(v):
            try:
                out.append(item(element))
            except Invalid as exc:
                bad.extend(((i, *at), message) for at, message in exc.each())
        if bad:
            raise Invalid(bad[0][1], at=bad[0][0], more=bad[1:])
        return out

    return check


def keyword(v: object) -> str:
    s = str(v).strip().lower()
    if not s or not re.match(r"^[\w æøå-]+$", s):
        raise Invalid(f"'{v}' is not a keyword — use words like 'energi' or 'samferdsel'")
    return s


def kommunenummer(v: object) -> str:
    s = str(v).strip()
    if isinstance(v, int) and len(s) == 3:
        s = "0" + s
    ref = reference()
    if s in ref and ref[s].is_county:
        raise Invalid(
            f"'{v}' is the county {FYLKER[s]}, not a kommune — give a 4-digit kommunenummer,"
            " or name the county in its own field (fylkeskommune, fylker)"
        )
    if s not in ref:
        raise Invalid(f"'{v}' is not a municipality in the programme's three counties{suggest(v)}")
    return s


_FORMER_FYLKER = {  # merged on 1 January 2020
    "hordaland": "Vestland",
    "sogn og fjordane": "Vestland",
}


def fylke(v: object) -> str:
    s = str(v).strip()
    by_name = {name.lower(): number for number, name in FYLKER.items()}
    if s in FYLKER:
        return s
    if s.lower() in by_name:
        return by_name[s.lower()]
    if s.lower() in _FORMER_FYLKER:
        raise Invalid(f"'{v}' is now part of {_FORMER_FYLKER[s.lower()]} — write that instead")
    raise Invalid(
        f"'{v}' is not one of the counties {', '.join(FYLKER.values())}"
        f"{did_you_mean(s, FYLKER.values())}"
    )
