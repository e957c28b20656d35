"""Field checkers: each accepts what it should, rejects the rest with a message, and parses right."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kommunepartner.base import schema as s
from kommunepartner.base.slug import slugify

OSLO = s.OSLO


def invalid(check, value) -> str:
    with pytest.raises(s.Invalid) as exc:
        check(value)
    return str(exc.value)


def test_text_strips_accepts_numbers_and_limits_length():
    assert s.text()("  Havvind ") == "Havvind"
    assert s.text()(2026) == "2026"
    assert "is empty" in invalid(s.text(), "   ")
    assert invalid(s.text(), ["a"]) == "must be text, not a list — put the text in quotes"
    assert invalid(s.text(5), "Havvind") == "is 7 characters long — keep it to 5"


def test_one_of_suggests_and_explains_labels():
    check = s.one_of("nb", "nn", labels={"nb": "bokmål", "nn": "nynorsk"})
    assert check("nn") == "nn"
    assert invalid(check, "no") == "'no' is not one of nb (bokmål), nn (nynorsk)"
    assert invalid(s.one_of("digital", "fysisk"), "fysisk ") == (
        "'fysisk ' is not one of digital, fysisk — did you mean 'fysisk'?"
    )
    assert "is not one of" in invalid(s.one_of("a"), True)


def test_integer_range_and_type():
    assert s.integer(1)(4) == 4
    assert invalid(s.integer(1), 0) == "0 is out of range — use at least 1"
    assert invalid(s.integer(0, 9), 10) == "10 is out of range — use at least 0 and at most 9"
    assert invalid(s.integer(0, example=50000), "50 000") == (
        "'50 000' is not a whole number — write digits only, e.g. 50000"
    )
    assert "not a whole number" in invalid(s.integer(), True)
    assert "not a whole number" in invalid(s.integer(), 1.5)


def test_dates_say_which_part_is_wrong():
    assert s.a_date("2028-02-29") == date(2028, 2, 29)
    assert invalid(s.a_date, "2026-02-29") == (
        "'2026-02-29' is not a real date — February 2026 has 28 days"
    )
    assert (
        invalid(s.a_date, "2026-00-10") == "'2026-00-10' has no month 0 — months go from 01 to 12"
    )
    assert invalid(s.a_date, "2026-1-5") == (
        "'2026-1-5' is not a date — write YYYY-MM-DD, e.g. 2026-03-01"
    )
    assert "not a real date" in invalid(s.a_date, "0000-01-01")


def test_datetimes_are_oslo_unless_an_offset_is_given():
    winter = s.a_datetime("2026-01-10 10:00")
    summer = s.a_datetime("2026-06-10T10:00:30")
    assert winter.utcoffset() == timedelta(hours=1)
    assert summer.utcoffset() == timedelta(hours=2) and summer.second == 30
    assert s.a_datetime("2026-06-10 08:00Z") == datetime(2026, 6, 10, 8, tzinfo=UTC)
    assert s.a_datetime("2026-06-10 10:00 +0200") == s.a_datetime("2026-06-10 08:00Z")
    assert s.a_datetime("2026-06-10") == datetime(2026, 6, 10, tzinfo=OSLO)
    assert "not a real time of day" in invalid(s.a_datetime, "2026-06-10 10:60")
    assert "time-zone offset" in invalid(s.a_datetime, "2026-06-10 10:00+15:00")
    assert "not a date and time" in invalid(s.a_datetime, "i morgon")


def test_duration_or_date():
    assert s.date_or_duration("180 days") == timedelta(days=180)
    assert s.date_or_duration("6 månader") == timedelta(days=180)
    assert s.date_or_duration("2 veker") == timedelta(days=14)
    assert s.date_or_duration("2027-01-01") == date(2027, 1, 1)
    assert "neither a date" in invalid(s.date_or_duration, "snart")


@pytest.mark.parametrize("bad", ["../etc", "a/b", "Havvind", "-a", "a-", "a--b", "", "æøå", "a b"])
def test_slug_rejects_everything_but_lowercase_words_and_hyphens(bad):
    assert "is not a slug" in invalid(s.slug, bad)


def test_email_url_keyword():
    assert s.email(" kari.nordmann@example.org ") == "kari.nordmann@example.org"
    for bad in ["kari@", "kari", "kari@example", "kari nordmann@example.org", "<k@example.org>"]:
        assert "is not an email address" in invalid(s.email, bad)
    assert s.url("https://example.org/påmelding?x=1") == "https://example.org/påmelding?x=1"
    for bad in ["example.org", "ftp://example.org", "https://", "javascript:alert(1)"]:
        assert "is not a web address" in invalid(s.url, bad)
    assert s.keyword("Havvind") == "havvind"
    assert "is not a keyword" in invalid(s.keyword, "a/b")


def test_list_of_reports_every_bad_item_with_its_index():
    check = s.list_of(s.kommunenummer, example="[4601]")
    assert check([4601, "1103"]) == ["4601", "1103"]
    assert check(4601) == ["4601"]
    with pytest.raises(s.Invalid) as exc:
        check([4601, 9999, "46"])
    assert [at for at, _ in exc.value.each()] == [(1,), (2,)]
    assert invalid(check, {"a": 1}) == "must be a list, e.g. [4601]"


def test_mapping_points_at_the_sub_field():
    check = s.mapping({"name": s.Field(s.text(), required=True), "url": s.Field(s.url)}, "place")
    assert check({"name": "Rådhuset"}) == {"name": "Rådhuset"}
    with pytest.raises(s.Invalid) as exc:
        check({"name": "R", "url": "x"})
    assert exc.value.at == ("url",)
    with pytest.raises(s.Invalid) as exc:
        check({"name": "R", "urll": "x"})
    assert str(exc.value) == "unknown field — did you mean 'url'?" and exc.value.at == ("urll",)
    assert invalid(check, {"url": "https://example.org"}) == "place needs name"
    assert "must be a mapping" in invalid(check, "Rådhuset")


def test_kommunenummer_and_fylke():
    assert s.kommunenummer(4601) == "4601"
    assert s.kommunenummer("1103") == "1103"
    assert invalid(s.kommunenummer, "Bergn").endswith("did you mean 4601 (Bergen)?")
    assert "is the county Vestland" in invalid(s.kommunenummer, "46")
    assert "three counties" in invalid(s.kommunenummer, "0301")
    assert (
        s.fylke("Møre og Romsdal") == "15" and s.fylke("46") == "46" and s.fylke("rogaland") == "11"
    )
    assert invalid(s.fylke, "Sogn og Fjordane") == (
        "'Sogn og Fjordane' is now part of Vestland — write that instead"
    )


# Property tests: the parsers against a simple reference model.

moments = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31))


@given(st.dates(min_value=date(1, 1, 1)))
def test_a_date_round_trips_every_real_date(d):
    assert s.a_date(d.isoformat()) == d


@given(st.integers(1, 9999), st.integers(1, 12), st.integers(1, 31))
def test_a_date_accepts_exactly_the_real_dates(y, m, d):
    text = f"{y:04d}-{m:02d}-{d:02d}"
    try:
        expected = date(y, m, d)
    except ValueError:
        expected = None
    if expected is None:
        with pytest.raises(s.Invalid):
            s.a_date(text)
    else:
        assert s.a_date(text) == expected


@given(moments, st.booleans(), st.sampled_from([" ", "T"]))
def test_a_datetime_reads_oslo_wall_time(moment, seconds, sep):
    moment = moment.replace(microsecond=0, second=moment.second if seconds else 0)
    fmt = f"%Y-%m-%d{sep}%H:%M" + (":%S" if seconds else "")
    parsed = s.a_datetime(moment.strftime(fmt))
    assert parsed.replace(tzinfo=None) == moment
    assert parsed.tzinfo is OSLO


@given(moments, st.integers(-12 * 60, 14 * 60).map(lambda m: m - m % 15))
def test_a_datetime_keeps_an_explicit_offset(moment, minutes):
    moment = moment.replace(microsecond=0)
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    assert s.a_datetime(aware.isoformat(sep=" ")) == aware


@given(st.integers(0, 100_000), st.sampled_from(["day", "days", "dagar", "dager"]))
def test_durations_in_days(n, unit):
    assert s.date_or_duration(f"{n} {unit}") == timedelta(days=n)


@given(st.integers(0, 10_000), st.sampled_from(["weeks", "veker", "uker"]))
def test_durations_in_weeks(n, unit):
    assert s.date_or_duration(f"{n} {unit}") == timedelta(weeks=n)


@given(st.text())
def test_slugify_always_makes_a_valid_slug(title):
    slug = slugify(title)
    assert s.slug(slug) == slug
    assert len(slug) <= 70


@given(st.text(alphabet=string.ascii_lowercase + string.digits + "-/._ ÆØÅæøå", max_size=30))
def test_slug_accepts_exactly_lowercase_words_joined_by_single_hyphens(text):
    ok = bool(text) and all(part and part.isalnum() and part.isascii() for part in text.split("-"))
    ok = ok and text == text.lower()
    if ok:
        assert s.slug(text) == text
    else:
        with pytest.raises(s.Invalid):
            s.slug(text)


@given(st.text(alphabet="æøåÆØÅ", min_size=1, max_size=20))
def test_slugify_transliterates_norwegian_letters(title):
    expected = title.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    assert slugify(title) == expected[:70].rstrip("-")
