"""The reference list of the 93 municipalities and the three county councils of the programme."""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Municipality:
    """A kommune (4-digit number) or a fylkeskommune (2-digit number) from the reference data."""

    number: str
    name: str
    fylke: str
    population: int
    malform: str  # nynorsk | bokmål | nøytral

    @property
    def is_county(self) -> bool:
        return len(self.number) == 2


FYLKER = {"46": "Vestland", "11": "Rogaland", "15": "Møre og Romsdal"}
# Språkvedtak of the county councils (Språkrådet); population = the county's sum.
_COUNTY_MALFORM = {"46": "nynorsk", "11": "nøytral", "15": "nynorsk"}


@cache
def reference() -> dict[str, Municipality]:
    """Every organisation that can be a partner, by number: 93 kommuner and 3 fylkeskommuner."""
    out: dict[str, Municipality] = {}
    with open(DATA / "kommuner.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out[row["kommunenummer"]] = Municipality(
                row["kommunenummer"],
                row["name"],
                row["fylke"],
                int(row["population"]),
                row["målform"],
            )
    for number, fylke in FYLKER.items():
        population = sum(m.population for m in out.values() if m.number.startswith(number))
        out[number] = Municipality(
            number, f"{fylke} fylkeskommune", fylke, population, _COUNTY_MALFORM[number]
        )
    return out


def suggest(text: str) -> str:
    """A hint naming the closest known municipality to a wrong number or name, or ''."""
    ref = reference()
    by_name = {m.name.lower(): m for m in ref.values()}
    names = difflib.get_close_matches(str(text).lower(), by_name, n=1, cutoff=0.7)
    if names:
        m = by_name[names[0]]
        return f" — did you mean {m.number} ({m.name})?"
    numbers = difflib.get_close_matches(str(text), ref, n=1, cutoff=0.75)
    if numbers:
        return f" — did you mean {numbers[0]} ({ref[numbers[0]].name})?"
    return " — use a kommunenummer from Vestland (46xx), Rogaland (11xx) or Møre og Romsdal (15xx)"
