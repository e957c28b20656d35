"""`partners links --send` against aiosmtpd: each contact of each partner in good standing gets
its partner's link in the partner's written standard, once; a new key_version or secret sends
the new links. And `partners check` warns about agreements that end within 60 days."""

from __future__ import annotations

import email
import email.policy

import pytest

from kommunepartner.access.crypto import unlock_token
from tests.mail.conftest import REGISTRY, TEST_SECRET

pytestmark = pytest.mark.mail


def send_links(cli, site, server, secret: str = TEST_SECRET):
    return cli(
        "partners", "links", "--send", "--smtp", server.url, "--yes",
        *("--settings", site.settings, "--partners", site.root / "partners.yaml"),
        *("--state", site.state, "--on", "2026-06-01"),
        env={**server.env(), "KOMMUNEPARTNER_SECRET": secret},
    )  # fmt: skip


def received(server) -> dict[str, email.message.EmailMessage]:
    return {
        r.rcpt: email.message_from_bytes(r.data, policy=email.policy.default)
        for r in server.recorder.received
    }


def test_links_by_email_once_and_again_after_a_new_key(cli, mail_site, smtp_server):
    server = smtp_server()
    first = send_links(cli, mail_site, server)
    assert first.exit_code == 0, first.output
    assert "3 of 3 delivered (3 in this run, 0 before)" in first.output
    got = received(server)
    assert sorted(got) == ["anne@example.org", "kari@example.org", "ola@example.org"]
    bergen = unlock_token(TEST_SECRET.encode(), "4601", 1)
    kari = got["kari@example.org"]
    assert kari["Subject"] == "Lenken til partnerinnholdet for Bergen"  # nøytral: bokmål
    assert f"http://127.0.0.1:8000/#k={bergen}" in kari.get_content()
    anne = got["anne@example.org"]  # Bjerkreim writes nynorsk
    assert anne["Subject"] == "Lenkja til partnarinnhaldet for Bjerkreim"
    assert f"#k={unlock_token(TEST_SECRET.encode(), '1114', 1)}" in anne.get_content()
    assert "per@example.org" not in got  # Kinn's agreement ended

    again = send_links(cli, mail_site, server)
    assert "3 of 3 delivered (0 in this run, 3 before)" in again.output
    assert server.recorder.count() == 3

    bumped = REGISTRY.replace(
        '  - kommune: "4601"\n    status: active\n',
        '  - kommune: "4601"\n    status: active\n    key_version: 2\n',
    )
    assert bumped != REGISTRY
    (mail_site.root / "partners.yaml").write_text(bumped)
    rotated = send_links(cli, mail_site, server)
    assert "3 of 3 delivered (2 in this run, 1 before)" in rotated.output
    new = [
        email.message_from_bytes(r.data, policy=email.policy.default)
        for r in server.recorder.received[3:]
    ]
    assert sorted(m["To"].addresses[0].addr_spec for m in new) == [
        "kari@example.org",
        "ola@example.org",
    ]
    assert all(
        f"#k={unlock_token(TEST_SECRET.encode(), '4601', 2)}" in m.get_content() for m in new
    )

    secret = "a-rotated-secret-0123456789-abcdefghijklmnop"
    renewed = send_links(cli, mail_site, server, secret)
    assert "3 of 3 delivered (3 in this run, 0 before)" in renewed.output


def test_partners_check_warns_about_agreements_ending_within_60_days(cli, tmp_path):
    registry = REGISTRY.replace(
        "    since: 2026-01-01\n", "    since: 2026-01-01\n    until: 2026-07-15\n", 1
    )
    (tmp_path / "partners.yaml").write_text(registry)
    result = cli(
        "partners", "check", "--partners", tmp_path / "partners.yaml", "--on", "2026-06-01"
    )
    assert result.exit_code == 0
    assert (
        "warning: 4601 Bergen: the agreement ends 2026-07-15 (in 44 days) — renew it"
        in result.output
    )
    assert "1 agreements end within 60 days of 2026-06-01" in result.output
    early = cli("partners", "check", "--partners", tmp_path / "partners.yaml", "--on", "2026-05-01")
    assert "agreement ends" not in early.output
