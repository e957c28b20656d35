"""Briefs as publications: the list of each series (by year and number) and of each author."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kommunepartner.base.slug import slugify
from kommunepartner.content.items import Item
from kommunepartner.content.series import SERIES, SeriesNumber
from kommunepartner.outputs.listing import newest_first, norwegian_key, primary_versions

SERIES_DIR = "serie"
AUTHORS_DIR = "forfattar"


@dataclass(frozen=True)
class SeriesYear:
    year: int
    items: tuple[Item, ...]  # highest number first


@dataclass(frozen=True)
class SeriesPage:
    """One series: its briefs by year (newest first), each year by number (highest first)."""

    series: str
    years: tuple[SeriesYear, ...]

    @property
    def path(self) -> str:
        return series_path(self.series)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for y in self.years for i in y.items)


def series_path(series: str) -> str:
    return f"{SERIES_DIR}/{series}/"


def series_pages(items: Sequence[Item], numbers: Mapping[str, SeriesNumber]) -> list[SeriesPage]:
    """A page for every series, also an empty one (its feed can be followed before it starts)."""
    listed = [i for i in primary_versions(items) if i.key in numbers]
    pages = []
    for series in SERIES:
        chosen = [i for i in listed if numbers[i.key].series == series]
        years = sorted({numbers[i.key].year for i in chosen}, reverse=True)
        pages.append(
            SeriesPage(
                series,
                tuple(
                    SeriesYear(
                        y,
                        tuple(
                            sorted(
                                (i for i in chosen if numbers[i.key].year == y),
                                key=lambda i: numbers[i.key].number,
                                reverse=True,
                            )
                        ),
                    )
                    for y in years
                ),
            )
        )
    return pages


@dataclass(frozen=True)
class AuthorPage:
    """One author: the briefs they wrote, newest first."""

    name: str
    items: tuple[Item, ...]

    @property
    def path(self) -> str:
        return author_path(self.name)


def author_path(name: str) -> str:
    return f"{AUTHORS_DIR}/{slugify(name)}/"


def author_pages(items: Sequence[Item]) -> list[AuthorPage]:
    """Every author of a published brief, A–Å by family name (the last word), then given names."""
    by_name: dict[str, list[Item]] = {}
    for item in primary_versions([i for i in items if i.section == "briefs"]):
        for name in item.meta.get("authors", []):
            by_name.setdefault(name, []).append(item)
    ordered = sorted(by_name, key=lambda n: (norwegian_key(n.split()[-1]), norwegian_key(n)))
    return [AuthorPage(n, tuple(newest_first(by_name[n]))) for n in ordered]
