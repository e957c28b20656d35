"""Fee tiers: the yearly fee by population, covering every population once, within NOK 50–100k."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kommunepartner.base.errors import Collector
from kommunepartner.base.yamlfile import REJECTED, Located

FEE_MIN, FEE_MAX = 50_000, 100_000
EXAMPLE = "- {min_population: 0, max_population: 4999, fee: 50000}"


@dataclass(frozen=True)
class FeeTier:
    """Populations from min to max (inclusive; no max = and up) pay `fee` NOK a year."""

    min_population: int
    max_population: int | None
    fee: int

    def covers(self, population: int) -> bool:
        return population >= self.min_population and (
            self.max_population is None or population <= self.max_population
        )


def nok(amount: int) -> str:
    """50000 -> 'NOK 50 000' (Norwegian digit grouping)."""
    return "NOK " + f"{amount:,}".replace(",", " ")


def check_fee_tiers(
    located: Located,
    raw: object,
    problems: Collector,
    fields: Callable[[tuple, object], dict | None],
) -> list[FeeTier]:
    """Validate `fee_tiers`: each tier's fields, the fee range, then gaps and overlaps."""
    if raw is REJECTED:
        return []
    if not isinstance(raw, list) or not raw:
        what = "is missing" if raw is None else "must be a list"
        problems.extend(
            [located.problem(("fee_tiers",), f"{what} — list the fee tiers, e.g. {EXAMPLE}")]
        )
        return []
    tiers: list[tuple[int, FeeTier]] = []
    complete = True
    for i, entry in enumerate(raw):
        where = ("fee_tiers", i)
        clean = fields(where, entry)
        if not clean or "min_population" not in clean or "fee" not in clean:
            complete = False  # coverage would only repeat this tier's problem
            continue
        if not FEE_MIN <= clean["fee"] <= FEE_MAX:
            problems.extend(
                [
                    located.problem(
                        where + ("fee",),
                        f"{nok(clean['fee'])} is outside the programme's range"
                        f" — use {nok(FEE_MIN)} to {nok(FEE_MAX)}",
                    )
                ]
            )
        hi = clean.get("max_population")
        if hi is not None and hi < clean["min_population"]:
            problems.extend(
                [
                    located.problem(
                        where + ("max_population",),
                        f"{hi} is below min_population ({clean['min_population']})"
                        " — max_population must be at least min_population",
                    )
                ]
            )
            complete = False
            continue
        tiers.append((i, FeeTier(clean["min_population"], hi, clean["fee"])))
    ordered = sorted(tiers, key=lambda t: t[1].min_population)
    return _coverage(located, ordered, problems) if complete else [t for _, t in ordered]


def _coverage(
    located: Located, ordered: list[tuple[int, FeeTier]], problems: Collector
) -> list[FeeTier]:
    """Every population from 0 up has exactly one tier."""
    if ordered and ordered[0][1].min_population != 0:
        i, first = ordered[0]
        problems.extend(
            [
                located.problem(
                    ("fee_tiers", i, "min_population"),
                    f"populations 0–{first.min_population - 1} have no fee"
                    " — start the first tier at min_population: 0",
                )
            ]
        )
    for (i, a), (j, b) in zip(ordered, ordered[1:]):
        if a.max_population is None:
            problems.extend(
                [
                    located.problem(
                        ("fee_tiers", i),
                        f"has no max_population, so it overlaps fee_tiers[{j}]"
                        f" — end it at max_population: {b.min_population - 1}",
                    )
                ]
            )
        elif b.min_population <= a.max_population:
            problems.extend(
                [
                    located.problem(
                        ("fee_tiers", j, "min_population"),
                        f"populations {b.min_population}–{a.max_population} are also in"
                        f" fee_tiers[{i}] — start this tier at {a.max_population + 1}",
                    )
                ]
            )
        elif b.min_population > a.max_population + 1:
            problems.extend(
                [
                    located.problem(
                        ("fee_tiers", j, "min_population"),
                        f"populations {a.max_population + 1}–{b.min_population - 1}"
                        f" have no fee — start this tier at {a.max_population + 1}",
                    )
                ]
            )
    if ordered and ordered[-1][1].max_population is not None:
        i, last = ordered[-1]
        problems.extend(
            [
                located.problem(
                    ("fee_tiers", i, "max_population"),
                    f"populations above {last.max_population} have no fee"
                    " — leave out max_population in the last tier",
                )
            ]
        )
    return [t for _, t in ordered]
