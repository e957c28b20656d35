"""Series numbers of briefs: per series and year, from front matter or assigned by date."""

from __future__ import annotations

from tests.unit.test_content_rules import fm, problems, site


def brief(date: str, extra: str = "", series: str = "temanotat") -> str:
    return fm(f"title: T\ndate: {date}\nsummary: S.\nseries: {series}\n{extra}")


def labels(loaded) -> dict[str, str]:
    names = {"series_temanotat": "Temanotat", "series_policy-brief": "Policy brief"}
    return {key.split("/")[1]: n.label(names) for key, n in sorted(loaded.numbers.items())}


def test_numbers_are_assigned_in_date_order_per_series_and_year_around_given_ones(tmp_path):
    loaded = site(
        tmp_path,
        {
            "briefs/a.md": brief("2026-01-10"),
            "briefs/b.md": brief("2026-02-10", "number: 1\n"),
            "briefs/c.md": brief("2026-03-10"),
            "briefs/d.md": brief("2027-01-05"),
            "briefs/e.md": brief("2026-04-01", series="policy-brief"),
            "briefs/f.md": brief("2026-05-01", "status: draft\n"),  # a draft takes no number
            "briefs/g.md": fm("title: T\ndate: 2026-06-01\nsummary: S.\n"),  # no series
        },
    )
    assert labels(loaded) == {
        "a": "Temanotat 2026:2",
        "b": "Temanotat 2026:1",
        "c": "Temanotat 2026:3",
        "d": "Temanotat 2027:1",
        "e": "Policy brief 2026:1",
    }
    assert loaded.numbers["briefs/a"].code == "2026:2"
    assert loaded.numbers["briefs/a"].slug == "temanotat-2026-2"


def test_a_translation_shows_its_originals_number(tmp_path):
    loaded = site(
        tmp_path,
        {
            "briefs/a.md": brief("2026-01-10"),
            "briefs/b.md": brief("2026-01-10", "lang: nb\ntranslation_of: a\n"),
            "briefs/c.md": brief("2026-01-09"),
        },
    )
    assert labels(loaded) == {
        "a": "Temanotat 2026:2",
        "b": "Temanotat 2026:2",
        "c": "Temanotat 2026:1",
    }


def test_a_clash_names_both_files_and_the_lowest_free_number(tmp_path):
    assert problems(
        tmp_path,
        {
            "briefs/a.md": brief("2026-01-10", "number: 4\n"),
            "briefs/b.md": brief("2026-02-10", "number: 4\n"),
            "briefs/c.md": brief("2025-02-10", "number: 4\n"),  # another year: no clash
        },
    ) == [
        "briefs/b.md:6:9: number: temanotat 2026:4 is also the number of "
        "briefs/a.md — give one of them another number (e.g. 1, the lowest"
        " free one in 2026), or delete number: to have one assigned by date"
    ]


def test_a_translation_with_another_number_is_a_problem(tmp_path):
    assert problems(
        tmp_path,
        {
            "briefs/a.md": brief("2026-01-10", "number: 2\n"),
            "briefs/b.md": brief("2026-01-10", "number: 3\nlang: nb\ntranslation_of: a\n"),
        },
    ) == [
        "briefs/b.md:6:9: number: '3' differs from its original's (briefs/a.md:"
        " 2) — a translation carries its original's number; delete this line"
    ]
