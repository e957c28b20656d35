"""partners.yaml: the partner registry, validated with line numbers, and what follows from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from kommunepartner.base import schema as s
from kommunepartner.base.errors import Collector, InputError, Problem
from kommunepartner.base.kommuner import Municipality, reference
from kommunepartner.base.yamlfile import REJECTED, Located, load_yaml, read_text
from kommunepartner.content.fees import FEE_MAX, FEE_MIN, FeeTier, check_fee_tiers

STATUSES = ("prospect", "pilot", "active", "paused", "ended")
IN_GOOD_STANDING = ("pilot", "active")


@dataclass(frozen=True)
class Contact:
    """A person at a partner who receives mail; never published on the site."""

    name: str
    email: str
    role: str
    newsletters: tuple[str, ...] = ("perspektiv",)


@dataclass(frozen=True)
class Partner:
    """A member organisation: a kommune or a fylkeskommune, by number."""

    id: str  # the kommunenummer (4 digits) or fylkesnummer (2 digits); used in unlock links
    org: Municipality
    status: str
    since: date | None
    until: date | None
    key_version: int
    contacts: tuple[Contact, ...] = ()

    @property
    def name(self) -> str:
        return self.org.name

    @property
    def malform(self) -> str:
        return self.org.malform

    def in_good_standing(self, on: date) -> bool:
        """Pilot or active, and `on` lies within [since, until]."""
        if self.status not in IN_GOOD_STANDING:
            return False
        if self.since and on < self.since:
            return False
        return not (self.until and on > self.until)


@dataclass(frozen=True)
class AccessRule:
    """A section's default access, and when partners-only items of it turn public."""

    default: str = "public"
    public_after: date | timedelta | None = None


@dataclass(frozen=True)
class Registry:
    """The whole registry, read once per run and passed down."""

    path: str
    fee_tiers: tuple[FeeTier, ...]
    partners: tuple[Partner, ...]
    access: dict[str, AccessRule] = field(default_factory=dict)

    def fee_for(self, population: int) -> int:
        return next(t.fee for t in self.fee_tiers if t.covers(population))

    def partner(self, pid: str) -> Partner | None:
        return next((p for p in self.partners if p.id == pid), None)

    def in_good_standing(self, on: date) -> list[Partner]:
        return [p for p in self.partners if p.in_good_standing(on)]

    def rule(self, section: str) -> AccessRule:
        return self.access.get(section, AccessRule())


_CONTACT = {
    "name": s.Field(s.text(120), required=True),
    "email": s.Field(s.email, required=True),
    "role": s.Field(s.text(80), required=True),
    "newsletters": s.Field(s.list_of(s.one_of("perspektiv"), example="[perspektiv]")),
}
_PARTNER = {
    "kommune": s.Field(s.kommunenummer),
    "fylkeskommune": s.Field(s.fylke),
    "status": s.Field(s.one_of(*STATUSES), required=True),
    "since": s.Field(s.a_date),
    "until": s.Field(s.a_date),
    "key_version": s.Field(s.integer(1)),
    "contacts": s.Field(lambda v: v),  # checked contact by contact below, for exact lines
    "note": s.Field(s.text(500)),
}
_TIER = {
    "min_population": s.Field(s.integer(0, example=5000), required=True),
    "max_population": s.Field(s.integer(0, example=19999)),
    "fee": s.Field(s.integer(0, example=65000), required=True),
}
_RULE = {
    "default": s.Field(s.one_of("public", "partners"), required=True),
    "public_after": s.Field(s.date_or_duration),
}
_TOP = ("fee_tiers", "partners", "access")
ACCESS_SECTIONS = ("briefs", "newsletters", "events")
_EXAMPLES = {
    "status": "status: pilot",
    "since": "since: 2026-01-01",
    "name": "name: Kari Nordmann",
    "email": "email: kari.nordmann@example.org",
    "role": "role: kommunedirektør",
    "min_population": "min_population: 0",
    "fee": "fee: 50000",
    "default": "default: partners",
}


def load_registry(path: Path, shown: str | None = None) -> Registry:
    """Load and validate partners.yaml; raise one InputError naming every problem with its line."""
    shown = shown or str(path)
    if not path.is_file():
        raise InputError(
            Problem(
                shown,
                message="the partner registry does not exist — create it or pass --partners FILE",
            )
        )
    return parse_registry(read_text(path, shown), shown)


def parse_registry(text: str, shown: str) -> Registry:
    """Validate the text of partners.yaml; raise one InputError naming every problem."""
    located = load_yaml(text, shown, keep_going=True)
    problems = Collector()
    problems.extend(located.problems)
    data = located.data
    if not isinstance(data, dict):
        raise InputError(
            Problem(
                shown, 1, 1, "", "the registry must be a mapping with fee_tiers, partners, access"
            )
        )
    for key in data:
        if key not in _TOP:
            problems.extend(
                [
                    located.problem(
                        (key,),
                        "unknown section"
                        + (s.did_you_mean(key, _TOP) or f" — the registry has {', '.join(_TOP)}"),
                        key=True,
                    )
                ]
            )

    def fields(where: tuple, raw: object, spec: dict, what: str) -> dict | None:
        return _fields(located, where, raw, spec, what, problems)

    tiers = check_fee_tiers(
        located, data.get("fee_tiers"), problems, lambda w, r: fields(w, r, _TIER, "a fee tier")
    )
    partners = _partners(located, data.get("partners"), problems, fields)
    access = _access(located, data.get("access") or {}, problems, fields)
    problems.raise_if_any()
    return Registry(shown, tuple(tiers), tuple(partners), access)


def _fields(
    located: Located, where: tuple, raw: object, fields: dict, what: str, problems: Collector
) -> dict | None:
    """Check one mapping of the registry; None when it is not a mapping."""
    if raw is REJECTED:
        return None
    if not isinstance(raw, dict):
        problems.extend([located.problem(where, f"must be a mapping with {', '.join(fields)}")])
        return None
    out = {}
    for key, value in raw.items():
        if key not in fields:
            hint = s.did_you_mean(key, fields) or f" — {what} takes {', '.join(fields)}"
            problems.extend([located.problem(where + (key,), f"unknown field{hint}", key=True)])
        elif value is REJECTED:
            continue
        elif value is None:
            example = _EXAMPLES.get(key)
            fix = f" — e.g. {example}" if example else " — give one or delete the line"
            problems.extend([located.problem(where + (key,), f"has no value{fix}", key=True)])
        else:
            try:
                out[key] = fields[key].check(value)
            except s.Invalid as exc:
                problems.extend(
                    [located.problem(where + (key, *at), msg) for at, msg in exc.each()]
                )
    misspelt = s.misspelt(raw, fields)  # 'sinse' is reported once, as a misspelling
    for key, f in fields.items():
        if f.required and key not in raw and key not in misspelt:
            example = f", e.g. {_EXAMPLES[key]}" if key in _EXAMPLES else ""
            problems.extend([located.problem(where + (key,), f"is required for {what}{example}")])
    return out


def _partners(located: Located, raw: object, problems: Collector, fields) -> list[Partner]:
    if raw is None or raw is REJECTED:
        return []
    if not isinstance(raw, list):
        problems.extend([located.problem(("partners",), "must be a list of partners")])
        return []
    ref = reference()
    out: list[Partner] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(raw):
        where = ("partners", i)
        clean = fields(where, entry, _PARTNER, "a partner")
        if clean is None:
            continue
        contacts = _contacts(located, where, entry.get("contacts"), problems, fields)
        number = _partner_number(located, where, entry, clean, problems)
        since, until = clean.get("since"), clean.get("until")
        if since and until and until < since:
            problems.extend(
                [
                    located.problem(
                        where + ("until",),
                        f"{until} is before since ({since}) — until must be on or after since",
                    )
                ]
            )
        status = clean.get("status")
        if status in IN_GOOD_STANDING and "since" not in entry | dict.fromkeys(
            s.misspelt(entry, _PARTNER)
        ):
            problems.extend(
                [
                    located.problem(
                        where + ("since",),
                        f"is required for {'an' if status == 'active' else 'a'} {status} partner"
                        " — e.g. since: 2026-01-01",
                    )
                ]
            )
        if number is None or status is None:
            continue
        if number in seen:
            kind = "kommune" if "kommune" in entry else "fylkeskommune"
            problems.extend(
                [
                    located.problem(
                        where + (kind,),
                        f"{ref[number].name} is already listed as partners[{seen[number]}]"
                        " — keep one entry per partner",
                    )
                ]
            )
            continue
        seen[number] = i
        key_version = clean.get("key_version", 1)
        out.append(Partner(number, ref[number], status, since, until, key_version, contacts))
    return out


def _partner_number(
    located: Located, where: tuple, entry: dict, clean: dict, problems: Collector
) -> str | None:
    """The partner's id: its kommunenummer or fylkesnummer; exactly one of the two is given."""
    if "kommune" in entry and "fylkeskommune" in entry:
        problems.extend(
            [
                located.problem(
                    where + ("fylkeskommune",),
                    "a partner is either a kommune or a fylkeskommune — keep one of the two",
                )
            ]
        )
        return None
    if "kommune" not in entry and "fylkeskommune" not in entry:
        problems.extend(
            [
                located.problem(
                    where,
                    'needs kommune (a kommunenummer, e.g. kommune: "4601")'
                    " or fylkeskommune (e.g. fylkeskommune: Vestland)",
                )
            ]
        )
        return None
    return clean.get("kommune") or clean.get("fylkeskommune")


def _contacts(
    located: Located, where: tuple, raw: object, problems: Collector, fields
) -> tuple[Contact, ...]:
    if raw is None or raw is REJECTED:
        return ()
    if not isinstance(raw, list):
        problems.extend(
            [
                located.problem(
                    where + ("contacts",),
                    "must be a list of contacts, e.g."
                    " - {name: Kari Nordmann, email: kari@example.org, role: rådgjevar}",
                )
            ]
        )
        return ()
    out: list[Contact] = []
    emails: dict[str, int] = {}
    for j, c in enumerate(raw):
        cw = where + ("contacts", j)
        clean = fields(cw, c, _CONTACT, "a contact")
        if not clean or not {"name", "email", "role"} <= clean.keys():
            continue
        low = clean["email"].lower()
        if low in emails:
            problems.extend(
                [
                    located.problem(
                        cw + ("email",),
                        f"'{clean['email']}' is already listed as contacts[{emails[low]}]"
                        " of this partner — keep one entry per address",
                    )
                ]
            )
            continue
        emails[low] = j
        newsletters = tuple(clean.get("newsletters", ["perspektiv"]))
        out.append(Contact(clean["name"], clean["email"], clean["role"], newsletters))
    return tuple(out)


def _access(located: Located, raw: object, problems: Collector, fields) -> dict[str, AccessRule]:
    if raw is REJECTED:
        return {}
    if not isinstance(raw, dict):
        problems.extend(
            [
                located.problem(
                    ("access",),
                    "must map sections to rules, e.g."
                    " briefs: {default: partners, public_after: 180 days}",
                )
            ]
        )
        return {}
    out = {}
    for section, rule in raw.items():
        if section not in ACCESS_SECTIONS:
            problems.extend(
                [
                    located.problem(
                        ("access", section),
                        "unknown section"
                        + (
                            s.did_you_mean(section, ACCESS_SECTIONS)
                            or f" — use {', '.join(ACCESS_SECTIONS)}"
                        ),
                        key=True,
                    )
                ]
            )
            continue
        clean = fields(("access", section), rule, _RULE, "an access rule")
        if not clean or "default" not in clean:
            continue
        if clean["default"] == "public" and "public_after" in clean:
            problems.extend(
                [
                    located.problem(
                        ("access", section, "public_after"),
                        "only applies when default is partners — delete it, or set"
                        " default: partners",
                    )
                ]
            )
        out[section] = AccessRule(clean["default"], clean.get("public_after"))
    return out


__all__ = [
    "FEE_MAX",
    "FEE_MIN",
    "FeeTier",
    "Partner",
    "Contact",
    "Registry",
    "load_registry",
    "parse_registry",
]
