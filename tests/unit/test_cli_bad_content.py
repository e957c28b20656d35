"""Every bad content fixture: `check --content DIR` exits 2 with exactly one exact message.

Fixtures: tests/fixtures/content/<type>-<case>.md (type = brief, event, newsletter, page). The
file names are slugs, like real content files; each test copies one into the folder of its type
in an otherwise empty content folder. The expected text is everything after
`content/<section>/<file>:`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "content"
REGISTRY = ROOT / "tests" / "fixtures" / "valid" / "partners.yaml"
SECTIONS = {"brief": "briefs", "event": "events", "newsletter": "newsletters", "page": "pages"}

EXPECTED = {
    "brief-Bad_File_Name": "1:1: slug: the file name 'brief-Bad_File_Name.md' does not make a valid slug — rename the file brief-bad-file-name.md (lower-case a–z, digits, hyphens), or set slug:",
    "brief-alias": "6:1: kommuner: aliases (*name) are not allowed — write the value out in full",
    "brief-bom": "1:1: the file starts with a byte-order mark (BOM) — save it as UTF-8 without BOM",
    "brief-colon-in-title": "2:15: a ': ' inside a value — put the whole value in quotes, e.g. title: \"Havvind: kva no?\"",
    "brief-control-character": "4:12: the invisible control character U+000C is not allowed — delete it",
    "brief-crlf-and-not-real-date": "3:7: date: '2026-04-31' is not a real date — April 2026 has 30 days",
    "brief-date-norwegian-format": "3:7: date: '1.3.2026' is not a date and time — write YYYY-MM-DD HH:MM, e.g. 2026-03-01 10:00",
    "brief-date-not-real": "3:7: date: '2026-02-29' is not a real date — February 2026 has 28 days",
    "brief-duplicate-key": "5:1: date: duplicate key (first given on line 3) — keep one of them",
    "brief-empty-title": "2:8: title: is empty — write some text",
    "brief-front-matter-not-closed": "1:1: the front-matter block is never closed — add a line '---' after the last field",
    "brief-image-missing": "5:8: image: 'images/finst-ikkje.jpg' is not a file in the content folder — put the picture in content/images/ and write e.g. image: images/havvind.jpg",
    "brief-image-without-alt": "5:8: image: needs image_alt: a short description of the image",
    "brief-lang-no": "5:7: lang: 'no' is not one of nb (bokmål), nn (nynorsk)",
    "brief-missing-date": "1:1: date: is required for a brief — e.g. date: 2026-03-01",
    "brief-missing-title": '1:1: title: is required for a brief — e.g. title: "Havvind og kommunane"',
    "brief-misspelt-field": "5:1: topcis: unknown field — did you mean 'topics'?",
    "brief-no-front-matter": "1:1: the file must start with a front-matter block: a line '---', the fields, and another '---'",
    "brief-not-utf8": "2:20: byte 0xf8 is not UTF-8 — save the file as UTF-8",
    "brief-public-after-before-date": "6:15: public_after: 2026-01-01 is before the item's date (2026-03-01) — give a later date, or a duration such as '180 days'",
    "brief-public-after-not-duration": "6:15: public_after: 'seinare' is neither a date (YYYY-MM-DD) nor a duration like '180 days'",
    "brief-public-after-on-public": "6:15: public_after: only applies to partners-only items — delete it, or set access: partners",
    "brief-python-object-tag": "5:10: authors: the YAML tag !!python/object/apply:os.system is not allowed — delete it, write a plain list",
    "brief-slug-with-dotdot": "5:7: slug: '../../etc/passwd' is not a slug — use lower-case a–z, digits and single hyphens, e.g. 'havvind-i-nordsjoen'",
    "brief-summary-too-long": "4:10: summary: is 719 characters long — keep it to 600",
    "brief-tab-indentation": "6:1: a tab character — indent YAML with spaces, never tabs",
    "brief-time-not-real": "3:7: date: '2026-03-01 24:30' is not a real time of day — use 00:00 to 23:59",
    "brief-title-misspelt": "2:1: titel: unknown field — did you mean 'title'?",
    "brief-unknown-access": "5:9: access: 'partnarar' is not one of public, partners — did you mean 'partners'?",
    "brief-unknown-field": "5:1: colour: unknown field — a brief takes title, slug, status, lang, summary, access, public_after, translation_of, date, authors, topics, series, number, kommuner, fylker, image, image_alt",
    "brief-unknown-fylke": "5:10: fylker[0]: 'Hordaland' is now part of Vestland — write that instead",
    "brief-unknown-kommune": "5:18: kommuner[1]: '4699' is not a municipality in the programme's three counties — did you mean 4649 (Stad)?",
    "brief-unknown-series": "5:9: series: 'policybrief' is not one of policy-brief, temanotat — did you mean 'policy-brief'?",
    "brief-unknown-status": "5:9: status: 'kladd' is not one of published, draft",
    "event-bad-offset": "3:8: start: '2026-03-10 10:00+25:00' has no real time-zone offset — leave it out (Norway) or use +01:00",
    "event-capacity-zero": "6:11: capacity: 0 is out of range — use at least 1",
    "event-deadline-after-start": "6:62: registration.deadline: is after the start (2026-03-10 10:00) — set a deadline before it",
    "event-end-before-start": "6:6: end: 2026-03-10 09:00 is not after start (2026-03-10 10:00) — the event must end after it starts",
    "event-location-unknown-field": "8:12: location.adresse: unknown field — did you mean 'address'?",
    "event-missing-format": "1:1: format: is required for an event — e.g. format: digital (or fysisk, hybrid)",
    "event-online-url-on-physical": "7:13: online_url: a physical event has no online link — delete it, or set format: hybrid",
    "event-physical-without-location": "5:9: location: is required for a fysisk event — e.g. location: {name: Bergen rådhus, address: Rådhusgaten 10, 5014 Bergen}",
    "event-registration-bad-url": "7:8: registration.url: 'example.org/pamelding' is not a web address — write it in full, e.g. https://example.org/påmelding",
    "event-registration-without-address": "6:15: registration: needs url or email, e.g. registration: {url: https://example.org/pamelding}",
    "event-start-is-time-only": "3:8: start: '10:00' is not a date and time — write YYYY-MM-DD HH:MM, e.g. 2026-03-01 10:00",
    "event-unknown-format": "5:9: format: 'digitalt' is not one of digital, fysisk, hybrid — did you mean 'digital'?",
    "newsletter-missing-number": "1:1: number: is required for a newsletter issue — e.g. number: 4",
    "newsletter-number-as-text": "6:9: number: 'fire' is not a whole number — write digits only, e.g. 4",
    "newsletter-partners-without-summary": "7:9: summary: is required for a partners-only item: it is the public teaser",
    "newsletter-preheader-too-long": "3:12: preheader: is 191 characters long — keep it to 150",
    "newsletter-unknown-feature": "7:12: features[0]: 'havvind-og-kommunane' is not the slug of any brief or event",
    "newsletter-unknown-newsletter": "5:13: newsletter: 'perspektive' is not one of perspektiv — did you mean 'perspektiv'?",
    "page-reserved-slug": "3:7: slug: 'notat' is the address of a section list (notat, perspektiv, arrangement, tema, serie, kommune, fylke, forfattar) — choose another slug",
    "page-with-date": "3:1: date: unknown field — a page takes title, slug, status, lang, summary, translation_of, template, order",
}


def placed(case: str, root: Path) -> str:
    """Copy the fixture into root/content/<section>/ and return its path as messages show it."""
    section = SECTIONS[case.split("-", 1)[0]]
    (root / "content" / section).mkdir(parents=True)
    shutil.copyfile(FIXTURES / f"{case}.md", root / "content" / section / f"{case}.md")
    return f"content/{section}/{case}.md"


def test_every_fixture_has_an_expectation_and_there_are_enough():
    cases = {p.stem for p in FIXTURES.glob("*.md")}
    assert cases == set(EXPECTED)
    assert len(cases) >= 30


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_check_reports_the_exact_problem(case, cli, tmp_path, monkeypatch):
    shown = placed(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = cli("check", "--content", "content", "--partners", REGISTRY)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"{shown}:{EXPECTED[case]}\n"


@pytest.mark.parametrize("case", ["brief-not-utf8", "event-end-before-start"])
def test_the_real_command_exits_2_with_the_message(case, tmp_path):
    shown = placed(case, tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            ROOT / "tasks.py",
            "check",
            "--content",
            "content",
            "--partners",
            REGISTRY,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr == f"{shown}:{EXPECTED[case]}\n"
    assert "Traceback" not in done.stdout + done.stderr


def test_all_problems_of_all_files_are_reported_together_sorted(cli, tmp_path, monkeypatch):
    for case in ("brief-lang-no", "event-end-before-start", "brief-bom"):
        section = SECTIONS[case.split("-", 1)[0]]
        (tmp_path / "content" / section).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / f"{case}.md", tmp_path / "content" / section / f"{case}.md")
    monkeypatch.chdir(tmp_path)
    result = cli("check", "--content", "content", "--partners", REGISTRY)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"content/briefs/brief-bom.md:{EXPECTED['brief-bom']}",
        f"content/briefs/brief-lang-no.md:{EXPECTED['brief-lang-no']}",
        f"content/events/event-end-before-start.md:{EXPECTED['event-end-before-start']}",
        "3 problems; nothing was built or sent.",
    ]
