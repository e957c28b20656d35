"""Public subscribers and the suppression list: CSV files with errors at their line."""

from __future__ import annotations

from datetime import datetime

import pytest

from kommunepartner.base.errors import InputError
from kommunepartner.base.schema import OSLO
from kommunepartner.mail.subscribers import (
    import_suppressions,
    load_subscribers,
    load_suppression,
    unsubscribe,
)

WHEN = datetime(2026, 6, 1, 12, 0, tzinfo=OSLO)


def test_subscribers_are_read_with_their_preferences(tmp_path):
    path = tmp_path / "subscribers.csv"
    path.write_text(
        "email,name,lang,newsletters\nliv@example.org,Liv Li,nb,perspektiv\n\ntor@example.org,,,\n",
        encoding="utf-8",
    )
    subs = load_subscribers(path)
    assert [(s.email, s.name, s.lang, s.newsletters) for s in subs] == [
        ("liv@example.org", "Liv Li", "nb", ("perspektiv",)),
        ("tor@example.org", "", "", ("perspektiv",)),
    ]
    assert load_subscribers(tmp_path / "missing.csv") == []


def test_every_bad_subscriber_line_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.csv").write_text(
        "email,name,lang,newsletters\n"
        "liv@,Liv,nb,perspektiv\n"
        "tor@example.org,Tor,se,\n"
        "ada@example.org,Ada,nn,perspektive\n"
        "TOR@example.org,Tor,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        load_subscribers(tmp_path / "s.csv")
    assert str(exc.value).splitlines() == [
        "s.csv:2:1: email: 'liv@' is not an email address — write e.g. kari.nordmann@example.org",
        "s.csv:3:1: lang: 'se' is not a written standard — use nn or nb, or leave it empty",
        "s.csv:4:1: newsletters: 'perspektive' is not a newsletter — did you mean 'perspektiv'?"
        " — use perspektiv",
        "s.csv:5:1: email: 'TOR@example.org' is already listed on line 3",
    ]


def test_unknown_column(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.csv").write_text("email,nmae\nliv@example.org,Liv\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"s.csv:1:1: unknown column 'nmae' — did you mean 'name'"):
        load_subscribers(tmp_path / "s.csv")


def test_unsubscribe_is_idempotent_and_case_insensitive(tmp_path):
    path = tmp_path / "state" / "suppression.csv"
    assert unsubscribe(path, "Liv@Example.org", WHEN) is True
    assert unsubscribe(path, "liv@example.org", WHEN) is False
    entry = load_suppression(path)["liv@example.org"]
    assert (entry.email, entry.reason, entry.added) == (
        "Liv@Example.org",
        "unsubscribed",
        "2026-06-01T12:00:00+02:00",
    )
    with pytest.raises(InputError, match="'nobody' is not an email address"):
        unsubscribe(path, "nobody", WHEN)


def test_bulk_import_from_a_list_or_a_csv(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "suppression.csv"
    unsubscribe(path, "a@example.org", WHEN)
    (tmp_path / "list.txt").write_text("# bounces\na@example.org\nb@example.org\n\n", "utf-8")
    assert import_suppressions(path, tmp_path / "list.txt", WHEN) == (1, 1)
    (tmp_path / "export.csv").write_text(
        "email,reason\nc@example.org,complaint\nd@example.org,\n", "utf-8"
    )
    assert import_suppressions(path, tmp_path / "export.csv", WHEN) == (2, 0)
    assert load_suppression(path)["c@example.org"].reason == "complaint"
    assert sorted(load_suppression(path)) == [f"{c}@example.org" for c in "abcd"]
    (tmp_path / "bad.txt").write_text("e@example.org\nnot-an-address\n", "utf-8")
    with pytest.raises(InputError, match=r"^bad.txt:2:1: email: 'not-an-address' is not"):
        import_suppressions(path, tmp_path / "bad.txt", WHEN)
    assert "e@example.org" not in load_suppression(path), "nothing added when a line is bad"
