"""What a build shows that the clock alone can change, and when it last changed.

A site built twice from the same files differs only where time moved something: an item
published on its date, an embargo (`public_after`) lifted, an event moved to the past, a partner
entering or leaving good standing. `SiteState` records those facts so that a build can say what
changed since the previous one, and `revision` is the latest moment such a change happened: the
time feeds and calendars carry, so a rebuild with nothing changed gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from kommunepartner.access.rules import Access, effective_access
from kommunepartner.base.schema import OSLO
from kommunepartner.content.items import Item
from kommunepartner.content.registry import Partner, Registry
from kommunepartner.outputs.listing import event_end

# The revision of a site with nothing dated at all (an empty site): any fixed moment will do.
EPOCH = datetime(2000, 1, 1, tzinfo=OSLO)


@dataclass(frozen=True)
class ItemState:
    """One item as the clock decides it: published yet, partners-only, an event that is over."""

    published: bool
    partners_only: bool
    past: bool = False


@dataclass(frozen=True)
class SiteState:
    """Every item's clock-decided state, and the partners in good standing, on one build date."""

    items: Mapping[str, ItemState] = field(default_factory=dict)
    partners: Mapping[str, str] = field(default_factory=dict)  # id -> name

    def to_json(self) -> dict:
        return {
            "items": {k: [s.published, s.partners_only, s.past] for k, s in self.items.items()},
            "partners": dict(self.partners),
        }

    @classmethod
    def from_json(cls, data: Mapping) -> SiteState:
        items = {k: ItemState(*map(bool, v)) for k, v in data.get("items", {}).items()}
        return cls(items, dict(data.get("partners", {})))


def site_state(
    items: Iterable[Item],
    access: Mapping[str, Access],
    published: set[str],
    partners: Sequence[Partner],
    now: datetime,
) -> SiteState:
    """The state of every item that is not a draft, and who is in good standing on `now`."""
    states = {}
    for item in items:
        if item.status == "draft":
            continue
        past = item.section == "events" and event_end(item) < now
        states[item.key] = ItemState(item.key in published, access[item.key].partners_only, past)
    return SiteState(states, {p.id: p.name for p in partners if p.in_good_standing(now.date())})


def changes(before: SiteState, after: SiteState, items: Mapping[str, Item]) -> list[str]:
    """What changed state between two builds, one line each, for the build's report."""
    lines = []
    for key, now in sorted(after.items.items()):
        was = before.items.get(key)
        if was is None:
            continue  # a new file is an edit, not a change of state
        item = items.get(key)
        when = f" ({item.date:%Y-%m-%d})" if item is not None and item.date else ""
        if now.published and not was.published:
            lines.append(f"published on its date: {key}{when}")
        if now.published and was.published and was.partners_only and not now.partners_only:
            lines.append(f"embargo lifted, now public: {key}")
        if now.past and not was.past:
            lines.append(f"moved to past events: {key}")
    for pid, name in sorted(after.partners.items()):
        if pid not in before.partners:
            lines.append(f"partner in good standing: {pid} {name}")
    for pid, name in sorted(before.partners.items()):
        if pid not in after.partners:
            lines.append(f"partner no longer in good standing: {pid} {name}")
    return lines


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=OSLO)


def revision(
    items: Iterable[Item], published: set[str], registry: Registry, now: datetime
) -> datetime:
    """The latest moment, not after `now`, at which something the site shows changed by date.

    Candidates: a published item's date; the day a partners-only item turned public; the end of
    an event that is over; the first day of a partner's agreement and the day after its last.
    """
    moments = [EPOCH]
    for item in items:
        if item.key not in published:
            continue
        if item.meta.get("date"):
            moments.append(item.meta["date"])
        if item.date and item.section != "pages":
            # As decided on its own date: partners-only then, and public from a later day?
            opens = effective_access(item, registry.rule(item.section), item.date).public_from
            if opens is not None:
                moments.append(_midnight(opens))
        if item.section == "events":
            moments.append(event_end(item))
    for p in registry.partners:
        if p.since:
            moments.append(_midnight(p.since))
        if p.until:
            moments.append(_midnight(p.until + timedelta(days=1)))
    return max(m for m in moments if m <= now)
