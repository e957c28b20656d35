"""Interface text: one catalogue per written standard (nb, nn), and the choice between them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

CATALOGUES = Path(__file__).resolve().parents[2] / "themes" / "kommunepartner" / "i18n"
# Month names are the same in nynorsk and bokmål; weekdays differ.
_MONTHS = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)
MONTHS = {"nb": _MONTHS, "nn": _MONTHS}
WEEKDAYS = {
    "nb": ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
    "nn": ["måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "søndag"],
}


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All interface strings of one written standard: every themes/kommunepartner/i18n/LANG/*.yaml.

    One file per feature (site, access, email, events, ...) so features do not edit one file;
    a key defined in two files is an error.
    """
    merged: dict[str, str] = {}
    for path in sorted((CATALOGUES / lang).glob("*.yaml")):
        with open(path, encoding="utf-8") as f:
            part = yaml.safe_load(f) or {}
        twice = merged.keys() & part.keys()
        if twice:
            raise ValueError(
                f"{path}: keys also defined in another catalogue file: {sorted(twice)}"
            )
        merged.update(part)
    return merged


def lang_for_malform(malform: str, fallback: str) -> str:
    """nynorsk → nn, bokmål → nb, nøytral → the fallback (the issue's own language)."""
    return {"nynorsk": "nn", "bokmål": "nb"}.get(malform, fallback)


def long_date(d, lang: str) -> str:
    """'3. mars 2026' in either written standard."""
    return f"{d.day}. {MONTHS[lang][d.month - 1]} {d.year}"


def weekday(d, lang: str) -> str:
    return WEEKDAYS[lang][d.weekday()]
