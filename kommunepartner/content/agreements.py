"""Agreements that end soon: `partners check` warns so they are renewed (or ended) in time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kommunepartner.content.registry import Partner, Registry

WARN_DAYS = 60


@dataclass(frozen=True)
class Ending:
    partner: Partner
    until: date
    days: int  # from the day asked about; 0: ends that day


def ending_within(registry: Registry, on: date, days: int = WARN_DAYS) -> list[Ending]:
    """Partners in good standing on `on` whose `until` is at most `days` days away, soonest first."""
    out = [
        Ending(p, p.until, (p.until - on).days)
        for p in registry.in_good_standing(on)
        if p.until and p.until <= on + timedelta(days=days)
    ]
    return sorted(out, key=lambda e: (e.until, e.partner.id))


def warning_lines(endings: list[Ending]) -> list[str]:
    return [
        f"warning: {e.partner.id} {e.partner.name}: the agreement ends {e.until}"
        f" ({'today' if e.days == 0 else f'in {e.days} days'}) — renew it (a later `until:`),"
        " or plan the end: from the next day its link opens nothing built after"
        for e in endings
    ]


CONTACTS_KEPT = timedelta(days=92)  # the privacy page: contacts are deleted within three months


def stale_contacts(registry: Registry, on: date) -> list[Partner]:
    """Partners whose agreement ended more than three months before `on` but still list contacts."""
    return [
        p
        for p in registry.partners
        if p.contacts and p.until and not p.in_good_standing(on) and on > p.until + CONTACTS_KEPT
    ]


def stale_contact_lines(partners: list[Partner]) -> list[str]:
    return [
        f"warning: {p.id} {p.name}: the agreement ended {p.until} and {len(p.contacts)} contacts"
        " are still listed — the privacy page promises to delete them within three months:"
        " remove them from partners.yaml"
        for p in partners
    ]
