"""partners.yaml: the partner registry, validated with line numbers, and what follows from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from . import schema as s
from .errors import Collector, InputError, Problem
from .kommuner import Municipality, reference
from .yamlfile import Located, load_yaml, read_text

STATUSES = ("prospect", "pilot", "active", "paused", "ended")
IN_GOOD_STANDING = ("pilot", "active")
FEE_MIN, FEE_MAX = 50_000, 100_000
ROLES = (
    "ordførar",
    "ordfører",
    "varaordførar",
    "varaordfører",
    "kommunedirektør",
    "rådmann",
    "kommunalsjef",
    "fylkesordførar",
    "fylkesordfører",
    "fylkesdirektør",
    "rådgjevar",
    "rådgiver",
    "kommunestyrerepresentant",
    "fylkestingsrepresentant",
    "kontaktperson",
    "kommunikasjon",
    "planleggjar",
    "planlegger",
    "leiar",
    "leder",
)


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
class FeeTier:
    min_population: int
    max_population: int | None
    fee: int

    def covers(self, population: int) -> bool:
        return population >= self.min_population and (
            self.max_population is None or population <= self.max_population
        )


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
    "newsletters": s.Field(s.list_of(s.one_of("perspektiv"))),
}
_PARTNER = {
    "kommune": s.Field(s.kommunenummer),
    "fylkeskommune": s.Field(s.fylke),
    "status": s.Field(s.one_of(*STATUSES), required=True),
    "since": s.Field(s.a_date),
    "until": s.Field(s.a_date),
    "key_version": s.Field(s.integer(1)),
    "contacts": s.Field(lambda v: v),  # checked item by item below, for exact line numbers
    "note": s.Field(s.text(500)),
}
_TIER = {
    "min_population": s.Field(s.integer(0), required=True),
    "max_population": s.Field(s.integer(0)),
    "fee": s.Field(s.integer(0), required=True),
}
_RULE = {
    "default": s.Field(s.one_of("public", "partners"), required=True),
    "public_after": s.Field(s.date_or_duration),
}
_TOP = ("fee_tiers", "partners", "access")
ACCESS_SECTIONS = ("briefs", "newsletters", "events")


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
    located = load_yaml(read_text(path, shown), shown)
    problems = Collector()
    data = located.data
    if not isinstance(data, dict):
        raise InputError(
            Problem(
                shown,
                1,
                1,
                "",
                "the registry must be a mapping with fee_tiers, partners and access",
            )
        )
    for key in data:
        if key not in _TOP:
            problems.extend(
                [
                    located.problem(
                        (key,),
                        f"unknown section{s.did_you_mean(key, _TOP)}"
                        f" — the registry has {', '.join(_TOP)}",
                        key=True,
                    )
                ]
            )
    tiers = _fee_tiers(located, data.get("fee_tiers"), problems)
    partners = _partners(located, data.get("partners"), problems)
    access = _access(located, data.get("access") or {}, problems)
    problems.raise_if_any()
    return Registry(shown, tuple(tiers), tuple(partners), access)


def _fields(
    located: Located, where: tuple, raw: object, fields: dict, what: str, problems: Collector
) -> dict | None:
    """Check one mapping of the registry; None when it is not a mapping."""
    if not isinstance(raw, dict):
        problems.extend([located.problem(where, f"must be a mapping with {', '.join(fields)}")])
        return None
    out = {}
    for key, value in raw.items():
        if key not in fields:
            problems.extend(
                [
                    located.problem(
                        where + (key,),
                        f"unknown field{s.did_you_mean(key, fields)}"
                        f" — {what} takes {', '.join(fields)}",
                        key=True,
                    )
                ]
            )
        elif value is None:
            problems.extend([located.problem(where + (key,), "has no value", key=True)])
        else:
            try:
                out[key] = fields[key].check(value)
            except s.Invalid as exc:
                problems.extend([located.problem(where + (key,), str(exc))])
    for key, f in fields.items():
        if f.required and key not in raw:
            problems.extend([located.problem(where, f"{key} is required for {what}")])
    return out


def _fee_tiers(located: Located, raw: object, problems: Collector) -> list[FeeTier]:
    if not isinstance(raw, list) or not raw:
        problems.extend(
            [
                located.problem(
                    ("fee_tiers",),
                    "must list the fee tiers, e.g."
                    " - {min_population: 0, max_population: 4999, fee: 50000}",
                )
            ]
        )
        return []
    tiers: list[tuple[int, FeeTier]] = []
    for i, entry in enumerate(raw):
        where = ("fee_tiers", i)
        clean = _fields(located, where, entry, _TIER, "a fee tier", problems)
        if not clean or "min_population" not in clean or "fee" not in clean:
            continue
        if not FEE_MIN <= clean["fee"] <= FEE_MAX:
            problems.extend(
                [
                    located.problem(
                        where + ("fee",),
                        f"NOK {clean['fee']:,} is outside the programme's"
                        f" range — use NOK {FEE_MIN:,}–{FEE_MAX:,}".replace(",", " "),
                    )
                ]
            )
        hi = clean.get("max_population")
        if hi is not None and hi < clean["min_population"]:
            problems.extend(
                [located.problem(where + ("max_population",), "is below min_population")]
            )
            continue
        tiers.append((i, FeeTier(clean["min_population"], hi, clean["fee"])))
    ordered = sorted(tiers, key=lambda t: t[1].min_population)
    if ordered and ordered[0][1].min_population != 0:
        problems.extend(
            [
                located.problem(
                    ("fee_tiers", ordered[0][0], "min_population"),
                    "the first tier must start at population 0",
                )
            ]
        )
    for (i, a), (j, b) in zip(ordered, ordered[1:]):
        if a.max_population is None or b.min_population <= a.max_population:
            problems.extend(
                [
                    located.problem(
                        ("fee_tiers", j, "min_population"),
                        f"overlaps fee_tiers[{i}] — start it at {(a.max_population or 0) + 1}",
                    )
                ]
            )
        elif b.min_population > a.max_population + 1:
            problems.extend(
                [
                    located.problem(
                        ("fee_tiers", j, "min_population"),
                        f"leaves populations {a.max_population + 1}–{b.min_population - 1}"
                        f" without a fee — start it at {a.max_population + 1}",
                    )
                ]
            )
    if ordered and ordered[-1][1].max_population is not None:
        problems.extend(
            [
                located.problem(
                    ("fee_tiers", ordered[-1][0], "max_population"),
                    "the last tier must have no max_population, so every population has a fee",
                )
            ]
        )
    return [t for _, t in ordered]


def _partners(located: Located, raw: object, problems: Collector) -> list[Partner]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.extend([located.problem(("partners",), "must be a list of partners")])
        return []
    ref = reference()
    out: list[Partner] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(raw):
        where = ("partners", i)
        clean = _fields(located, where, entry, _PARTNER, "a partner", problems)
        if clean is None:
            continue
        if ("kommune" in entry) == ("fylkeskommune" in entry):
            problems.extend(
                [located.problem(where, "give either kommune (kommunenummer) or fylkeskommune")]
            )
            continue
        number = clean.get("kommune") or clean.get("fylkeskommune")
        if number is None:
            continue
        if number in seen:
            problems.extend(
                [
                    located.problem(
                        where + ("kommune" if "kommune" in entry else "fylkeskommune",),
                        f"{ref[number].name} is already listed as partners[{seen[number]}]"
                        " — keep one entry per partner",
                    )
                ]
            )
            continue
        seen[number] = i
        since, until = clean.get("since"), clean.get("until")
        if since and until and until < since:
            problems.extend([located.problem(where + ("until",), "is before since")])
        if clean.get("status") in IN_GOOD_STANDING and not since:
            problems.extend(
                [located.problem(where, f"since is required for a {clean['status']} partner")]
            )
        contacts = _contacts(located, where, entry.get("contacts"), problems)
        if "status" not in clean:
            continue
        out.append(
            Partner(
                number,
                ref[number],
                clean["status"],
                since,
                until,
                clean.get("key_version", 1),
                tuple(contacts),
            )
        )
    return out


def _contacts(located: Located, where: tuple, raw: object, problems: Collector) -> list[Contact]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.extend([located.problem(where + ("contacts",), "must be a list of contacts")])
        return []
    out: list[Contact] = []
    emails: dict[str, int] = {}
    for j, c in enumerate(raw):
        cw = where + ("contacts", j)
        clean = _fields(located, cw, c, _CONTACT, "a contact", problems)
        if not clean or not {"name", "email", "role"} <= clean.keys():
            continue
        low = clean["email"].lower()
        if low in emails:
            problems.extend(
                [
                    located.problem(
                        cw + ("email",),
                        f"'{clean['email']}' is already listed as"
                        f" contacts[{emails[low]}] of this partner",
                    )
                ]
            )
            continue
        emails[low] = j
        out.append(
            Contact(
                clean["name"],
                clean["email"],
                clean["role"],
                tuple(clean.get("newsletters", ["perspektiv"])),
            )
        )
    return out


def _access(located: Located, raw: object, problems: Collector) -> dict[str, AccessRule]:
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
                        f"unknown section"
                        f"{s.did_you_mean(section, ACCESS_SECTIONS)} — use"
                        f" {', '.join(ACCESS_SECTIONS)}",
                        key=True,
                    )
                ]
            )
            continue
        clean = _fields(located, ("access", section), rule, _RULE, "an access rule", problems)
        if clean and "default" in clean:
            out[section] = AccessRule(clean["default"], clean.get("public_after"))
    return out
