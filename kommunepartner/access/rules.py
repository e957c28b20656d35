"""Who may read an item: public or partners-only, and until when it stays partners-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kommunepartner.content.items import Item
from kommunepartner.content.registry import AccessRule


@dataclass(frozen=True)
class Access:
    """The decision for one item at one build time."""

    level: str  # "public" | "partners"
    public_from: date | None = None  # when a partners-only item turns public, if ever

    @property
    def partners_only(self) -> bool:
        return self.level == "partners"


def effective_access(item: Item, rule: AccessRule, now: datetime) -> Access:
    """Front matter first, else the section's rule; `public_after` opens the item once passed."""
    if item.section == "pages":
        return Access("public")
    level = item.meta.get("access", rule.default)
    if level == "public":
        return Access("public")
    after = item.meta.get("public_after", rule.public_after)
    public_from = _resolve(after, item.date)
    if public_from is not None and now.date() >= public_from:
        return Access("public")
    return Access("partners", public_from)


def _resolve(after: date | timedelta | None, published: datetime | None) -> date | None:
    if after is None:
        return None
    if isinstance(after, timedelta):
        return (published + after).date() if published else None
    return after
