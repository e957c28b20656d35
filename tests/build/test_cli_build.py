"""An end-to-end build of the valid fixture site through `python tasks.py build`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "fixtures" / "valid"


@pytest.fixture
def fixture_site(site):
    shutil.copytree(VALID / "content", site.content)
    shutil.copyfile(VALID / "partners.yaml", site.partners)
    return site


def test_the_fixture_site_builds_every_section_at_its_address(fixture_site):
    result = fixture_site.build("2026-06-01 12:00")
    assert re.fullmatch(
        r"Built 5 items \(4 public, 1 for partners; 2 drafts or future-dated left out\) into"
        r" \S+/output: \d+ files in \d+\.\d s\n",
        result.stdout,
    )
    out = fixture_site.output
    for page in [
        "index.html",
        "404.html",
        "notat/havvind-og-kommunane/index.html",
        "notat/nettkapasitet/index.html",
        "perspektiv/perspektiv-1/index.html",
        "arrangement/partnartreff-bergen/index.html",
        "om-programmet/index.html",
        "tema/havvind/index.html",
    ]:
        assert (out / page).is_file(), page
    brief = (out / "notat/havvind-og-kommunane/index.html").read_text(encoding="utf-8")
    assert "Havvind kan gje nye arbeidsplassar i kystkommunane." in brief
    assert "<h2" in brief and "Tilrådingar" in brief  # Markdown rendered


def test_a_rebuild_replaces_the_whole_output(fixture_site):
    """A removed item disappears: the output is swapped whole, never merged with the old one."""
    fixture_site.build("2026-06-01 12:00")
    gone = fixture_site.output / "om-programmet" / "index.html"
    assert gone.is_file()
    (fixture_site.content / "pages" / "om-programmet.md").unlink()
    fixture_site.build("2026-06-01 12:00")
    assert not gone.exists()
    assert (fixture_site.output / "notat" / "havvind-og-kommunane" / "index.html").is_file()


def test_partners_only_turns_public_after_its_time(fixture_site):
    """nettkapasitet is partners-only for 180 days from 2026-04-15, i.e. until 2026-10-12."""
    before = fixture_site.build("2026-10-11 12:00")
    assert "(4 public, 1 for partners;" in before.stdout
    after = fixture_site.build("2026-10-12 12:00")
    assert "(5 public, 0 for partners;" in after.stdout
    page = (fixture_site.output / "notat" / "nettkapasitet" / "index.html").read_text("utf-8")
    assert "PARTNERS-ONLY-BODY-NETTKAPASITET" in page


def test_build_stops_on_the_same_problems_check_reports(fixture_site, cli):
    (fixture_site.content / "events" / "partnartreff-bergen.md").write_text(
        "---\ntitle: Treff\nstart: 2026-05-12 10:00\nseries: partnertreff\nformat: fysisk\n---\n",
        encoding="utf-8",
    )
    checked = cli("check", "--content", fixture_site.content, "--partners", fixture_site.partners)
    built = fixture_site.build("2026-06-01 12:00", expect=2)
    assert checked.exit_code == 2
    assert built.stderr == checked.stderr
    assert "partnartreff-bergen.md:5:9: location: is required for a fysisk event" in built.stderr
    assert not fixture_site.output.exists()
