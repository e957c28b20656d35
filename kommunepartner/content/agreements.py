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
