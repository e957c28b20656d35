"""Series numbers of briefs: `policy-brief` and `temanotat` are numbered per year ("Temanotat 2026:4").

A number comes from the front matter (`number: 4`, the year is the brief's date's) or is assigned
in date order: the first brief of a series in a year without a number takes the lowest number
that no brief of that series and year has, and so on. Drafts take no number; a translation shows
its original's. Two briefs with one number are a problem naming both files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kommunepartner.base.errors import Problem

if TYPE_CHECKING:  # items.py numbers the briefs it loads with this module
    from kommunepartner.content.items import Item

SERIES = ("policy-brief", "temanotat")


@dataclass(frozen=True, order=True)
class SeriesNumber:
    """A brief's place in its series: e.g. temanotat, 2026, 4."""

    series: str
    year: int
    number: int

    @property
    def code(self) -> str:
        """'2026:4', the report number a citation carries."""
        return f"{self.year}:{self.number}"

    def label(self, names: dict[str, str]) -> str:
        """'Temanotat 2026:4', with the series' name from an interface catalogue."""
        return f"{names[f'series_{self.series}']} {self.code}"

    @property
    def slug(self) -> str:
        """'temanotat-2026-4', for file names."""
        return f"{self.series}-{self.year}-{self.number}"


def _original(item: Item, items: Sequence[Item]) -> Item | None:
    target = item.meta.get("translation_of")
    if not target:
        return None
    return next(
        (o for o in items if o.section == item.section and o.slug == target and o is not item),
        None,
    )


def number_briefs(items: Sequence[Item]) -> tuple[dict[str, SeriesNumber], list[Problem]]:
    """Every numbered brief's SeriesNumber by item key, and the problems (clashes, translations)."""
    briefs = [i for i in items if i.section == "briefs" and i.status != "draft"]
    originals = [i for i in briefs if _original(i, items) is None]
    problems: list[Problem] = []
    numbers: dict[str, SeriesNumber] = {}
    taken: dict[SeriesNumber, Item] = {}
    for item in sorted(originals, key=_order):
        if "series" not in item.meta or "number" not in item.meta:
            continue
        n = SeriesNumber(item.meta["series"], item.date.year, item.meta["number"])
        if n in taken:
            problems.append(_clash(item, n, taken[n], originals))
            continue
        taken[n] = item
        numbers[item.key] = n
    for item in sorted(originals, key=_order):
        if "series" not in item.meta or "number" in item.meta:
            continue
        series, year = item.meta["series"], item.date.year
        n = next(
            SeriesNumber(series, year, k)
            for k in range(1, len(taken) + 2)
            if SeriesNumber(series, year, k) not in taken
        )
        taken[n] = item
        numbers[item.key] = n
    for item in briefs:
        original = _original(item, items)
        if original is None:
            continue
        own = numbers.get(original.key)
        if own is not None:
            numbers[item.key] = own
        problems.extend(_translation_problems(item, original, own))
    return numbers, problems


def _order(item: Item) -> tuple:
    return (item.date, item.slug)


def _clash(item: Item, n: SeriesNumber, other: Item, originals: Sequence[Item]) -> Problem:
    used = {i.meta["number"] for i in originals if _same_run(i, n) and "number" in i.meta}
    free = next(k for k in range(1, len(used) + 2) if k not in used)
    return Problem(
        item.path,
        *item.at("number"),
        "number",
        f"{n.series} {n.code} is also the number of {other.path} — give one of them another"
        f" number (e.g. {free}, the lowest free one in {n.year}), or delete number: to have one"
        " assigned by date",
    )


def _same_run(item: Item, n: SeriesNumber) -> bool:
    return item.meta.get("series") == n.series and item.date.year == n.year


def _translation_problems(item: Item, original: Item, own: SeriesNumber | None) -> list[Problem]:
    """A translation shows its original's series and number; a different one is a mistake."""
    out = []
    for name in ("series", "number"):
        given, theirs = item.meta.get(name), original.meta.get(name)
        if name == "number" and own is not None:
            theirs = own.number
        if given is not None and given != theirs:
            out.append(
                Problem(
                    item.path,
                    *item.at(name),
                    name,
                    f"'{given}' differs from its original's ({original.path}: {theirs or 'none'})"
                    f" — a translation carries its original's {name}; delete this line",
                )
            )
    return out
