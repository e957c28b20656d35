"""Every bad registry fixture: `check --partners FIXTURE` exits 2 with exactly one exact message.

Fixtures: tests/fixtures/partners/<case>.yaml, each valid but for the one mistake its name says.
The expected text is everything after `tests/fixtures/partners/<case>.yaml:`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "partners"

EXPECTED = {
    "access_bad_duration": "5:45: access.briefs.public_after: 'half a year' is neither a date (YYYY-MM-DD) nor a duration like '180 days'",
    "access_public_with_public_after": "5:43: access.briefs.public_after: only applies when default is partners — delete it, or set default: partners",
    "access_unknown_default": "5:21: access.briefs.default: 'partner' is not one of public, partners — did you mean 'partners'?",
    "access_unknown_section": "5:3: access.brief: unknown section — did you mean 'briefs'?",
    "address_listed_twice": "12:32: partners[0].contacts[1].email: 'Kari@Example.org' is already listed as contacts[0] of this partner — keep one entry per address",
    "alias": "12:5: partners[1].since: aliases (*name) are not allowed — write the value out in full",
    "bom": "1:1: the file starts with a byte-order mark (BOM) — save it as UTF-8 without BOM",
    "contact_without_role": "11:9: partners[0].contacts[0].role: is required for a contact, e.g. role: kommunedirektør",
    "control_character": "10:27: the invisible control character U+0007 is not allowed — delete it",
    "county_given_as_kommune": "7:14: partners[0].kommune: '46' is the county Vestland, not a kommune — give a 4-digit kommunenummer, or name the county in its own field (fylkeskommune, fylker)",
    "date_not_real": "9:12: partners[0].since: '2026-02-30' is not a real date — February 2026 has 28 days",
    "date_wrong_format": "9:12: partners[0].since: '01.02.2026' is not a date — write YYYY-MM-DD, e.g. 2026-03-01",
    "duplicate_key": "10:5: partners[0].status: duplicate key (first given on line 8) — keep one of them",
    "fee_above_range": "3:34: fee_tiers[1].fee: NOK 150 000 is outside the programme's range — use NOK 50 000 to NOK 100 000",
    "fee_as_text": "2:53: fee_tiers[0].fee: '50 000' is not a whole number — write digits only, e.g. 65000",
    "fee_below_range": "2:53: fee_tiers[0].fee: NOK 30 000 is outside the programme's range — use NOK 50 000 to NOK 100 000",
    "fee_tier_max_below_min": "3:45: fee_tiers[1].max_population: 10000 is below min_population (20000) — max_population must be at least min_population",
    "fee_tiers_gap": "3:22: fee_tiers[1].min_population: populations 20000–24999 have no fee — start this tier at 20000",
    "fee_tiers_last_has_max": "3:45: fee_tiers[1].max_population: populations above 999999 have no fee — leave out max_population in the last tier",
    "fee_tiers_missing": "1:1: fee_tiers: is missing — list the fee tiers, e.g. - {min_population: 0, max_population: 4999, fee: 50000}",
    "fee_tiers_overlap": "3:22: fee_tiers[1].min_population: populations 15000–19999 are also in fee_tiers[0] — start this tier at 20000",
    "fee_tiers_start_above_zero": "2:22: fee_tiers[0].min_population: populations 0–999 have no fee — start the first tier at min_population: 0",
    "invalid_email": "11:38: partners[0].contacts[0].email: 'kari@' is not an email address — write e.g. kari.nordmann@example.org",
    "key_version_zero": "10:18: partners[0].key_version: 0 is out of range — use at least 1",
    "kommune_and_fylkeskommune": "8:20: partners[0].fylkeskommune: a partner is either a kommune or a fylkeskommune — keep one of the two",
    "kommune_name_misspelt": "7:14: partners[0].kommune: 'Bergn' is not a municipality in the programme's three counties — did you mean 4601 (Bergen)?",
    "missing_status": "7:5: partners[0].status: is required for a partner, e.g. status: pilot",
    "misspelt_field": "9:5: partners[0].sinse: unknown field — did you mean 'since'?",
    "month_out_of_range": "9:12: partners[0].since: '2026-13-01' has no month 13 — months go from 01 to 12",
    "no_kommune_nor_fylkeskommune": '7:5: partners[0]: needs kommune (a kommunenummer, e.g. kommune: "4601") or fylkeskommune (e.g. fylkeskommune: Vestland)',
    "not_utf8": "10:36: byte 0xf8 is not UTF-8 — save the file as UTF-8",
    "partner_listed_twice": "10:14: partners[1].kommune: Bergen is already listed as partners[0] — keep one entry per partner",
    "pilot_without_since": "7:5: partners[0].since: is required for a pilot partner — e.g. since: 2026-01-01",
    "python_object_tag": "10:11: partners[0].note: the YAML tag !!python/object/apply:os.system is not allowed — delete it, write a plain list",
    "status_yes": "8:13: partners[0].status: 'yes' is not one of prospect, pilot, active, paused, ended",
    "tab_indentation": "8:1: a tab character — indent YAML with spaces, never tabs",
    "unclosed_bracket": "10:15: invalid YAML: the list that starts here with '[' is never closed — close the list with ']' on the same line",
    "unknown_field": "10:5: partners[0].colour: unknown field — a partner takes kommune, fylkeskommune, status, since, until, key_version, contacts, note",
    "unknown_fylke": "7:20: partners[0].fylkeskommune: 'Vestlandet' is not one of the counties Vestland, Rogaland, Møre og Romsdal — did you mean 'Vestland'?",
    "unknown_kommunenummer": "7:14: partners[0].kommune: '0301' is not a municipality in the programme's three counties — use a kommunenummer from Vestland (46xx), Rogaland (11xx) or Møre og Romsdal (15xx)",
    "unknown_newsletter": "11:87: partners[0].contacts[0].newsletters[0]: 'perspektive' is not one of perspektiv — did you mean 'perspektiv'?",
    "unknown_status": "8:13: partners[0].status: 'pilto' is not one of prospect, pilot, active, paused, ended — did you mean 'pilot'?",
    "unknown_top_section": "12:1: partner: unknown section — did you mean 'partners'?",
    "until_before_since": "10:12: partners[0].until: 2026-01-31 is before since (2026-06-01) — until must be on or after since",
}


def test_every_fixture_has_an_expectation_and_there_are_enough():
    cases = {p.stem for p in FIXTURES.glob("*.yaml")}
    assert cases == set(EXPECTED)
    assert len(cases) >= 30


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_check_reports_the_exact_problem(case, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    (tmp_path / "content").mkdir()
    fixture = f"tests/fixtures/partners/{case}.yaml"
    result = cli("check", "--content", tmp_path / "content", "--partners", fixture)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"{fixture}:{EXPECTED[case]}\n"


def test_the_real_command_exits_2_without_running_the_tag(tmp_path):
    """A `!!python/object/apply` tag is reported, never executed, by `./tasks.py`."""
    (tmp_path / "content").mkdir()
    fixture = "tests/fixtures/partners/python_object_tag.yaml"
    assert "touch /tmp/kp-pwned" in (ROOT / fixture).read_text()
    done = subprocess.run(
        [
            sys.executable,
            "tasks.py",
            "check",
            "--partners",
            fixture,
            "--content",
            tmp_path / "content",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr == f"{fixture}:{EXPECTED['python_object_tag']}\n"
    assert "Traceback" not in done.stdout + done.stderr
    assert not Path("/tmp/kp-pwned").exists()


def test_partners_check_reports_every_problem_of_a_file_at_once(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = (FIXTURES / "unknown_status.yaml").read_text() + (
        "  - kommune: Bergn\n    status: pilot\n    since: 2026-02-30\n"
    )
    Path("partners.yaml").write_text(bad, encoding="utf-8")
    result = cli("partners", "check", "--partners", "partners.yaml")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "partners.yaml:8:13: partners[0].status: 'pilto' is not one of prospect, pilot, active,"
        " paused, ended — did you mean 'pilot'?",
        "partners.yaml:10:14: partners[1].kommune: 'Bergn' is not a municipality in the"
        " programme's three counties — did you mean 4601 (Bergen)?",
        "partners.yaml:12:12: partners[1].since: '2026-02-30' is not a real date — February 2026"
        " has 28 days",
        "3 problems; nothing was built or sent.",
    ]
