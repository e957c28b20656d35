"""View lists the theme shows: latest briefs, upcoming and past events, archive, topics, fees.

Pure functions over the core's validated items and the registry; the theme plugin hands the
results to templates as plain values, so templates format and never decide.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from kommunepartner.base.kommuner import FYLKER, Municipality
from kommunepartner.content.items import Item
from kommunepartner.content.registry import Registry

# Norwegian alphabetical order puts æ, ø, å after z, in that order (Unicode has å before æ);
# "{", "|" and "}" are the three characters that follow "z" in ASCII.
_NORWEGIAN = str.maketrans({"æ": "{", "ø": "|", "å": "}"})


def norwegian_key(text: str) -> str:
    """A sort key that orders names as a Norwegian reader expects (…, z, æ, ø, å)."""
    return text.lower().translate(_NORWEGIAN)


def newest_first(items: Iterable[Item]) -> list[Item]:
    """Items by publication date, newest first; the slug breaks ties so the order is stable."""
    dated = [i for i in items if i.date is not None]
    return sorted(dated, key=lambda i: (i.date, i.slug), reverse=True)


def primary_versions(items: Sequence[Item]) -> list[Item]:
    """Leave out translations whose original is also in `items`: lists show each text once."""
    present = {(i.section, i.slug) for i in items}
    return [
        i
        for i in items
        if not (i.meta.get("translation_of") and (i.section, i.meta["translation_of"]) in present)
    ]


def latest(items: Sequence[Item], section: str, limit: int | None = None) -> list[Item]:
    """The newest items of one section, each text once (translations left out)."""
    chosen = newest_first(primary_versions([i for i in items if i.section == section]))
    return chosen if limit is None else chosen[:limit]


def event_end(item: Item) -> datetime:
    """When an event is over: its end, else its start."""
    return item.meta.get("end") or item.meta["start"]


def upcoming_and_past(items: Sequence[Item], now: datetime) -> tuple[list[Item], list[Item]]:
    """Events still to come or under way (soonest first), and those that have ended (latest first)."""
    events = primary_versions([i for i in items if i.section == "events"])
    upcoming = sorted(
        (e for e in events if event_end(e) >= now), key=lambda e: (e.meta["start"], e.slug)
    )
    past = sorted(
        (e for e in events if event_end(e) < now),
        key=lambda e: (e.meta["start"], e.slug),
        reverse=True,
    )
    return upcoming, past


def archive(items: Sequence[Item]) -> list[Item]:
    """Newsletter issues, newest first (by date, then by number)."""
    issues = primary_versions([i for i in items if i.section == "newsletters"])
    return sorted(issues, key=lambda i: (i.date, i.meta.get("number", 0)), reverse=True)


def features(issue: Item, items: Sequence[Item]) -> list[Item]:
    """The briefs and events an issue features, in the order the editor listed them.

    A featured slug that is not published (a draft, future-dated) is left out of the page.
    """
    by_slug = {i.slug: i for i in items if i.section in ("briefs", "events")}
    return [by_slug[s] for s in issue.meta.get("features", []) if s in by_slug]


class TranslationIndex:
    """Items by section and slug, and by what they translate: built once, asked once per item."""

    def __init__(self, items: Sequence[Item]) -> None:
        self._by_slug: dict[tuple[str, str], list[Item]] = {}
        self._by_target: dict[tuple[str, str], list[Item]] = {}
        self._position = {id(i): n for n, i in enumerate(items)}
        for i in items:
            self._by_slug.setdefault((i.section, i.slug), []).append(i)
            target = i.meta.get("translation_of")
            if target:
                self._by_target.setdefault((i.section, target), []).append(i)

    def of(self, item: Item) -> list[Item]:
        """Other-language versions of the same text, linked by `translation_of` either way."""
        key = (item.section, item.meta.get("translation_of") or item.slug)
        group = {id(i): i for i in self._by_slug.get(key, []) + self._by_target.get(key, [])}
        others = (i for i in group.values() if i is not item and i.lang != item.lang)
        return sorted(others, key=lambda i: (i.lang, self._position[id(i)]))


def translations(item: Item, items: Sequence[Item]) -> list[Item]:
    """Other-language versions of one item (for many items, build one TranslationIndex)."""
    return TranslationIndex(items).of(item)


@dataclass(frozen=True)
class Topic:
    """One topic keyword, how many published texts carry it, and whether it is a programme area."""

    name: str
    count: int
    area: bool


def topic_index(items: Sequence[Item], areas: Sequence[str]) -> list[Topic]:
    """Every topic in use: the programme's areas first (in their given order), then A–Å."""
    counts = Counter(t for i in primary_versions(items) for t in i.meta.get("topics", []))
    first = [Topic(a, counts[a], True) for a in areas if counts[a]]
    rest = sorted((t for t in counts if t not in areas), key=norwegian_key)
    return first + [Topic(t, counts[t], False) for t in rest]


def places(item: Item, reference: dict[str, Municipality]) -> list[str]:
    """Names of the municipalities and counties a brief concerns, in the order given."""
    names = [reference[n].name for n in item.meta.get("kommuner", []) if n in reference]
    return names + [FYLKER[f] for f in item.meta.get("fylker", []) if f in FYLKER]


@dataclass(frozen=True)
class TierRow:
    """One fee tier: population from `low` to `high` (None: and above), and the yearly fee."""

    low: int
    high: int | None
    fee: int


@dataclass(frozen=True)
class PartnerFee:
    """What one partner in good standing pays, and why (its population)."""

    name: str
    fylke: str
    population: int
    fee: int


@dataclass(frozen=True)
class FeeTable:
    tiers: tuple[TierRow, ...]
    partners: tuple[PartnerFee, ...]

    @property
    def total(self) -> int:
        return sum(p.fee for p in self.partners)


def fee_table(registry: Registry, on: date) -> FeeTable:
    """The fee tiers, and the fee each partner in good standing on `on` pays, A–Å by name."""
    tiers = tuple(TierRow(t.min_population, t.max_population, t.fee) for t in registry.fee_tiers)
    partners = sorted(
        (
            PartnerFee(p.name, p.org.fylke, p.org.population, registry.fee_for(p.org.population))
            for p in registry.in_good_standing(on)
        ),
        key=lambda p: norwegian_key(p.name),
    )
    return FeeTable(tiers, tuple(partners))
