"""`partners links` and the site secret on the command line (dev creates one, production stops)."""

from __future__ import annotations

from kommunepartner.access.crypto import unlock_token
from tests.conftest import ROOT, TEST_SECRET, write_files

REGISTRY = """
fee_tiers:
  - {min_population: 0, fee: 50000}
access: {}
partners:
  - {kommune: "4601", status: pilot, since: 2026-01-01, key_version: 3}
  - {kommune: "1103", status: active, since: 2026-01-01}
  - {kommune: "4602", status: ended, since: 2025-01-01, until: 2026-06-30}
  - {kommune: "1106", status: prospect}
"""
PRODUCTION = ROOT / "publishconf.py"
ENV = {"KOMMUNEPARTNER_SECRET": TEST_SECRET}


def links(cli, tmp_path, *args, env=ENV):
    write_files(tmp_path, {"partners.yaml": REGISTRY})
    return cli(
        "partners",
        "links",
        "--partners",
        tmp_path / "partners.yaml",
        "--on",
        "2026-11-30",
        *args,
        env=env,
    )


def test_prints_one_link_per_partner_in_good_standing(cli, tmp_path):
    result = links(cli, tmp_path, "--settings", PRODUCTION)
    assert result.exit_code == 0, result.output
    t1103 = unlock_token(TEST_SECRET.encode(), "1103", 1)
    t4601 = unlock_token(TEST_SECRET.encode(), "4601", 3)
    assert result.stdout.splitlines() == [
        f"4601  Bergen  https://kommunepartner.example.org/#k={t4601}",
        f"1103  Stavanger  https://kommunepartner.example.org/#k={t1103}",
    ]
    assert "2 unlock links for partners in good standing on 2026-11-30" in result.stderr


def test_one_partner_and_a_page(cli, tmp_path):
    result = links(
        cli, tmp_path, "--settings", PRODUCTION, "--partner", "4601", "--page", "notat/x/"
    )
    token = unlock_token(TEST_SECRET.encode(), "4601", 3)
    assert result.stdout == f"https://kommunepartner.example.org/notat/x/#k={token}\n"


def test_a_partner_out_of_good_standing_or_unknown_is_refused(cli, tmp_path):
    ended = links(cli, tmp_path, "--settings", PRODUCTION, "--partner", "4602")
    assert ended.exit_code == 2
    assert (
        "--partner: Kinn (4602) is not in good standing on 2026-11-30 (status ended" in ended.stderr
    )
    unknown = links(cli, tmp_path, "--settings", PRODUCTION, "--partner", "9999")
    assert unknown.exit_code == 2 and "no partner 9999 in" in unknown.stderr


def test_production_settings_without_a_secret_exit_2(cli, tmp_path):
    result = links(cli, tmp_path, "--settings", PRODUCTION, env={})
    assert result.exit_code == 2
    assert "secret: no site secret: set KOMMUNEPARTNER_SECRET" in result.stderr
    assert result.stdout == ""


def test_a_production_build_without_a_secret_exits_2_and_writes_nothing(site):
    site.write({"pages/om.md": "---\ntitle: Om\n---\nTekst.\n"})
    result = site.build("2026-11-30", "--settings", PRODUCTION, expect=2, secret="")
    assert "no site secret: set KOMMUNEPARTNER_SECRET" in result.output
    assert not site.output.exists()
