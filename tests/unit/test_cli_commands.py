"""The commands editors run besides build: new, check, partners list|check, and --help."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import click
import pytest

from kommunepartner.base.schema import OSLO
from kommunepartner.cli import main as cli_main
from kommunepartner.content.scaffold import skeleton

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "fixtures" / "valid"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the valid fixture site; the working folder is its root."""
    shutil.copytree(VALID / "content", tmp_path / "content")
    shutil.copyfile(VALID / "partners.yaml", tmp_path / "partners.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(cli):
    return cli("check", "--content", "content", "--partners", "partners.yaml")


@pytest.mark.parametrize("kind", ["brief", "newsletter", "event", "page"])
@pytest.mark.parametrize("lang", ["nn", "nb"])
def test_new_writes_a_skeleton_that_check_accepts(cli, project, kind, lang):
    title = 'Økonomi og særlige tiltak på Ås: "kva no?"'
    result = cli("new", kind, title, "--content", "content", "--lang", lang)
    assert result.exit_code == 0, result.output
    folder = {"brief": "briefs", "newsletter": "newsletters", "event": "events"}.get(kind, "pages")
    path = Path("content") / folder / "okonomi-og-saerlige-tiltak-pa-as-kva-no.md"
    assert result.stdout == (f"Created {path} (status: draft); check it with: ./tasks.py check\n")
    text = path.read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Økonomi og særlige tiltak på Ås: \\"kva no?\\""\n')
    assert f"lang: {lang}\n" in text
    result = check(cli)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: 8 content files (5 to publish)")  # new ones are drafts


def test_new_refuses_to_overwrite(cli, project):
    path = project / "content" / "briefs" / "havvind-og-kommunane.md"
    before = path.read_bytes()
    result = cli("new", "brief", "Havvind og kommunane", "--content", "content")
    assert result.exit_code == 2
    assert result.stderr == (
        "content/briefs/havvind-og-kommunane.md: already exists and was left as it is"
        " — edit that file, or choose another title\n"
    )
    assert path.read_bytes() == before


def test_new_numbers_a_newsletter_issue_after_the_last_one(cli, project):
    assert cli("new", "newsletter", "Perspektiv nr. 2", "--content", "content").exit_code == 0
    text = (project / "content" / "newsletters" / "perspektiv-nr-2.md").read_text()
    assert "\nnumber: 2\n" in text


def test_new_without_a_title_and_with_an_unknown_kind(cli, project):
    before = sorted(p.name for p in (project / "content").rglob("*"))
    result = cli("new", "brief", "  ", "--content", "content")
    assert result.exit_code == 2
    assert result.stderr == 'TITLE: is empty — give a title, e.g. "Havvind og kommunane"\n'
    assert cli("new", "notat", "X", "--content", "content").exit_code == 2  # a usage error
    assert sorted(p.name for p in (project / "content").rglob("*")) == before


def test_skeleton_dates_come_from_now():
    from datetime import datetime

    now = datetime(2026, 12, 31, 15, 45, tzinfo=OSLO)
    assert "\ndate: 2026-12-31\n" in skeleton("brief", "X", "nn", now)
    event = skeleton("event", "X", "nb", now)
    assert "\nstart: 2027-01-30 10:00\nend: 2027-01-30 12:00\n" in event
    assert "Hva arrangementet handler om." in event


def test_check_summarises_a_valid_site(cli, project):
    result = check(cli)
    assert result.exit_code == 0
    assert re.fullmatch(
        r"OK: 7 content files \(\d to publish\), 4 partners in partners.yaml\n", result.stdout
    )


def columns(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def test_partners_list_shows_standing_fee_and_malform(cli, project):
    result = cli("partners", "list", "--partners", "partners.yaml", "--on", "2026-04-01")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [columns(line) for line in lines[:-1]] == [
        ["id", "name", "fylke", "status", "period", "ok 2026-04-01", "fee NOK", "målform", "contacts"],
        ["4601", "Bergen", "Vestland", "pilot", "2026-01-01–2026-12-31", "yes", "100 000", "nøytral", "2"],
        ["1577", "Volda", "Møre og Romsdal", "active", "2026-03-01–…", "yes", "65 000", "nynorsk", "1"],
        ["11", "Rogaland fylkeskommune", "Rogaland", "pilot", "2026-01-01–…", "yes", "100 000", "nøytral", "0"],
        ["4602", "Kinn", "Vestland", "ended", "2025-01-01–2026-06-30", "no", "65 000", "nynorsk", "0"],
    ]  # fmt: skip
    assert lines[-1] == "3 of 4 in good standing on 2026-04-01"


def test_partners_list_on_another_day(cli, project):
    result = cli("partners", "list", "--partners", "partners.yaml", "--on", "2027-01-01")
    assert result.stdout.splitlines()[-1] == "2 of 4 in good standing on 2027-01-01"
    bad = cli("partners", "list", "--partners", "partners.yaml", "--on", "1. juni")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("--on: '1. juni' is not a date and time")


def test_partners_check(cli, project):
    result = cli("partners", "check", "--partners", "partners.yaml")
    assert result.exit_code == 0
    assert result.stdout == "OK: 4 partners, 4 fee tiers in partners.yaml\n"
    Path("partners.yaml").write_text(
        Path("partners.yaml").read_text().replace("status: active", "status: aktiv")
    )
    result = cli("partners", "check", "--partners", "partners.yaml")
    assert result.exit_code == 2
    assert result.stderr == (
        "partners.yaml:23:13: partners[1].status: 'aktiv' is not one of prospect, pilot, active,"
        " paused, ended — did you mean 'active'?\n"
    )


def test_the_debug_flag_shows_the_traceback(cli, project):
    with pytest.raises(Exception, match="is not one of"):
        Path("partners.yaml").write_text("fee_tiers: []\npartners: [{status: x}]\n")
        cli("--debug", "partners", "check", "--partners", "partners.yaml")


def _command_paths(group: click.Group, prefix: tuple = ()) -> list[tuple]:
    """Every command and group of the CLI, so a new command is covered without editing this."""
    paths = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            paths += _command_paths(command, prefix + (name,))
        else:
            paths.append(prefix + (name,))
    return paths


ALL_COMMANDS = _command_paths(cli_main)


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "main")
def test_every_command_has_help_with_an_example(cli, path):
    result = cli(*path, "--help")
    assert result.exit_code == 0
    assert "Example:\n    ./tasks.py " in result.stdout, f"{' '.join(path)} --help"


def test_today_is_the_default_day_for_partners_list(cli, project):
    result = cli("partners", "list", "--partners", "partners.yaml")
    assert result.stdout.splitlines()[-1].endswith(f"on {date.today()}")
