"""`./tasks.py newsletter render`: the files it writes, and the errors it stops with."""

from __future__ import annotations

import re
import shutil
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tests.conftest import TEST_SECRET

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "newsletter_site"
SENTINELS = [
    "SENTINEL-BRIEF-7f3a",
    "SENTINEL-QUOTE-91c2",
    "SENTINEL-EVENT-2b8e",
    "SENTINEL-ONLINE-55d0",
]
LEFTOVER = re.compile(r"\{\{|\{%|<mj-|KPX[0-9a-f]{12}", re.IGNORECASE)


def render(cli, root: Path, out: Path, *args: str):
    return cli(
        "newsletter",
        "render",
        *args,
        "--content",
        root / "content",
        "--partners",
        root / "partners.yaml",
        "--out",
        out,
        "--now",
        "2026-11-30 12:00",
        env={"KOMMUNEPARTNER_SECRET": TEST_SECRET},
    )


def parts(eml: Path) -> tuple[object, list]:
    msg = message_from_bytes(eml.read_bytes(), policy=policy.strict)
    return msg, list(msg.iter_parts())


@pytest.mark.parametrize("edition", ["partner", "public"])
def test_render_writes_html_text_and_a_strictly_valid_eml(cli, tmp_path, edition):
    out = tmp_path / edition
    result = render(cli, FIXTURE, out, "perspektiv-7", "--edition", edition)
    assert result.exit_code == 0, result.output
    assert f"{edition} edition, nn" in result.output and "KB of HTML" in result.output
    page = (out / "email.html").read_text(encoding="utf-8")
    text = (out / "email.txt").read_text(encoding="utf-8")
    msg, (plain, rich) = parts(out / "email.eml")
    assert msg.defects == [] and plain.defects == [] and rich.defects == []
    assert msg.get_content_type() == "multipart/alternative"
    assert (plain.get_content_type(), rich.get_content_type()) == ("text/plain", "text/html")
    assert rich.get_content() == page and plain.get_content() == text
    for header in ("From", "To", "Date", "Message-ID", "Subject", "List-Unsubscribe"):
        assert msg[header], header
    assert LEFTOVER.findall(page + text) == []
    assert "Kari Nordmann" in page and "Kari Nordmann" in text
    leaked = [s for s in SENTINELS if s in page or s in text or s in msg["Subject"]]
    assert leaked == (SENTINELS if edition == "partner" else [])
    assert ("#k=4621." in page) == (edition == "partner")  # the first partner in good standing


def test_lang_option_overrides_the_recipients_language(cli, tmp_path):
    result = render(cli, FIXTURE, tmp_path, "perspektiv-7", "--edition", "public", "--lang", "nb")
    assert result.exit_code == 0, result.output
    assert '<html lang="nb"' in (tmp_path / "email.html").read_text(encoding="utf-8")
    assert "Bli partner" in (tmp_path / "email.txt").read_text(encoding="utf-8")


def test_an_oversized_issue_stops_with_exit_2_naming_the_items(cli, tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    brief = root / "content" / "briefs" / "nettko-partnar.md"
    brief.write_text(brief.read_text() + "\n" + "Eit langt avsnitt om nettkø. " * 4000 + "\n")
    result = render(cli, root, tmp_path / "out", "perspektiv-7", "--edition", "partner")
    assert result.exit_code == 2, result.output
    assert re.search(
        r"nettko-partnar\.md:9:1: body: 'Nettkø som flaskehals for nye næringsareal' adds"
        r" \d+\.\d KB to the partner edition \((nb|nn)\), which would be \d+\.\d KB of HTML"
        r" — over the 100 KB budget",
        result.output,
    ), result.output
    assert "havvind-open" not in result.output
    assert not (tmp_path / "out" / "email.html").exists()


def test_an_issue_without_a_preheader_is_refused(cli, tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    issue = root / "content" / "newsletters" / "perspektiv-7.md"
    issue.write_text(re.sub(r"\npreheader: .*\n", "\n", issue.read_text()))
    result = render(cli, root, tmp_path / "out", "perspektiv-7")
    assert result.exit_code == 2, result.output
    assert "perspektiv-7.md:1:1: preheader: is required for a newsletter issue" in result.output


def test_an_unknown_slug_lists_the_issues(cli, tmp_path):
    result = render(cli, FIXTURE, tmp_path, "perspektiv-9")
    assert result.exit_code == 2
    assert "no newsletter issue 'perspektiv-9'" in result.output
    assert "perspektiv-7" in result.output


def test_no_partner_edition_without_a_partner_in_good_standing(cli, tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    registry = root / "partners.yaml"
    registry.write_text(registry.read_text().replace("since: 2026-01-01", "since: 2027-01-01"))
    result = render(cli, root, tmp_path / "out", "perspektiv-7", "--edition", "partner")
    assert result.exit_code == 2, result.output
    assert "has no partner in good standing on 2026-11-30" in result.output
