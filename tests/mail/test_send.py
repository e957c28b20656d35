"""`newsletter send` end to end: a fixture site, the real renderer, aiosmtpd with STARTTLS + AUTH."""

from __future__ import annotations

import base64
import email
import email.policy
import mailbox
import random

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kommunepartner.build.settings import Options
from kommunepartner.commands import sending
from kommunepartner.mail import ledger as lg
from kommunepartner.mail.mailer import Backoff
from kommunepartner.mail.subscribers import load_suppression

pytestmark = pytest.mark.mail
PARTNER_CONTACTS = ["anne@example.org", "kari@example.org", "ola@example.org"]
HTTPS = "https://kommunepartner.example.org/avmelding/"
SECRET = {"KOMMUNEPARTNER_SECRET": "mail-test-secret-0123456789-abcdefghijklmnop"}


def send(cli, site, server, *extra, slug="nr-1", password=None):
    return cli(
        "newsletter",
        "send",
        slug,
        *site.args(),
        "--smtp",
        server.url,
        "--yes",  # no terminal here to confirm on
        *extra,
        env=server.env(password or server.password),
    )


def rows(site, slug="nr-1") -> dict[str, lg.Delivery]:
    ledger = lg.Ledger.in_state_dir(site.state)
    try:
        return {d.address: d for d in ledger.rows(slug)}
    finally:
        ledger.close()


def strict(data: bytes) -> email.message.EmailMessage:
    """Parse as a strict receiver would: any defect raises; none may be recorded either."""
    msg = email.message_from_bytes(data, policy=email.policy.strict)
    assert all(not part.defects for part in msg.walk())
    return msg


def test_dry_run_prints_the_plan_and_writes_one_eml_each_and_an_mbox(cli, mail_site, tmp_path):
    mail_site.subscribers(6)
    (mail_site.state / "suppression.csv").write_text("email,reason\nsub00001@example.net,x\n")
    out = tmp_path / "outbox"
    result = cli("newsletter", "send", "nr-1", *mail_site.args(), "--out", out, env=SECRET)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "8 recipients (3 partner edition, 5 public edition); 1 suppressed,"
        " 0 duplicate addresses left out"
    )
    words = [" ".join(line.split()) for line in lines]
    assert words[1:5] == ["per county:", "(public subscribers) 5", "Vestland 2", "Rogaland 1"]
    assert "Bergen 2" in words and "Bjerkreim 1" in words
    assert "partner 3" in words and "public 5" in words and "nn 6" in words
    emls = sorted(out.glob("*.eml"))
    box = mailbox.mbox(str(out / "nr-1.mbox"))
    assert len(emls) == 8 and len(box) == 8
    box.close()
    to = sorted(strict(p.read_bytes())["To"].addresses[0].addr_spec for p in emls)
    assert "per@example.org" not in to and "sub00001@example.net" not in to
    assert "kari@example.org" in to
    assert not (mail_site.state / lg.LEDGER_FILE).exists(), "a dry run sends and records nothing"


def test_2000_recipients_each_get_one_valid_message(cli, mail_site, smtp_server):
    mail_site.configure(KP_UNSUBSCRIBE_URL=HTTPS)
    expected = sorted(mail_site.subscribers(1997) + PARTNER_CONTACTS)
    server = smtp_server()
    result = send(cli, mail_site, server, "--connections", "4")
    assert result.exit_code == 0, result.output
    assert "2000 of 2000 delivered (2000 in this run, 0 before)" in result.output
    got = server.recorder.by_rcpt()
    assert sorted(got) == expected and all(len(v) == 1 for v in got.values())
    ids = [email.message_from_bytes(v[0].data)["Message-ID"] for v in got.values()]
    assert len(set(ids)) == 2000
    assert {d.message_id for d in rows(mail_site).values()} == set(ids)

    for rcpt in random.Random(5).sample(expected, 100):
        msg = strict(got[rcpt][0].data)
        assert msg["To"].addresses[0].addr_spec == rcpt
        assert msg.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
        assert msg["List-Unsubscribe"].startswith(f"<{HTTPS}?t=")
        assert "<mailto:avmelding@example.org?subject=unsubscribe" in msg["List-Unsubscribe"]
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "DKIM-Signature" not in msg


def test_signed_without_https_url_mailto_only_and_no_post_header(
    cli, mail_site, smtp_server, tmp_path
):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = tmp_path / "dkim.pem"
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    records = {b"kp._domainkey.example.org.": b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)}

    def dns(name, timeout=5):
        return records.get(name)

    mail_site.configure(KP_DKIM_KEY_FILE=str(pem), KP_DKIM_SELECTOR="kp")  # domain: From's
    mail_site.subscribers(17)
    server = smtp_server()
    assert send(cli, mail_site, server).exit_code == 0
    assert len(server.recorder.received) == 20
    for r in server.recorder.received:
        msg = strict(r.data)
        assert msg["List-Unsubscribe"].startswith("<mailto:avmelding@example.org?subject=")
        assert "https" not in msg["List-Unsubscribe"] and "List-Unsubscribe-Post" not in msg
        assert dkim.verify(r.data, dnsfunc=dns)
        assert "list-unsubscribe" in msg["DKIM-Signature"]
    forged = server.recorder.received[0].data.replace(b"Perspektiv 1", b"Perspektiv 9", 1)
    assert not dkim.verify(forged, dnsfunc=dns)


def test_a_wrong_password_stops_before_anything_is_marked(cli, mail_site, smtp_server):
    mail_site.subscribers(10)
    server = smtp_server()
    result = send(cli, mail_site, server, password="not-the-password")
    assert result.exit_code == 2
    assert "refused the login of news" in result.output
    assert "KOMMUNEPARTNER_SMTP_PASSWORD" in result.output and "Traceback" not in result.output
    assert server.recorder.count() == 0
    assert {d.state for d in rows(mail_site).values()} == {lg.PENDING}


def test_no_password_at_all_is_a_clear_error(cli, mail_site, smtp_server):
    server = smtp_server()
    result = cli("newsletter", "send", "nr-1", *mail_site.args(), "--smtp", server.url, env=SECRET)
    assert result.exit_code == 2
    assert "no SMTP password: set $KOMMUNEPARTNER_SMTP_PASSWORD" in result.output


def test_rate_50_over_3_connections(cli, mail_site, smtp_server):
    mail_site.subscribers(247)
    server = smtp_server()
    result = send(cli, mail_site, server, "--rate", "50", "--connections", "3")
    assert result.exit_code == 0, result.output
    times = sorted(r.at for r in server.recorder.received)
    assert len(times) == 250
    busiest = max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))
    assert busiest <= 55, busiest
    assert server.recorder.peak_sessions <= 3 and server.recorder.sessions == 3


def test_temporary_refusals_are_retried_until_all_are_delivered(
    mail_site, smtp_server, monkeypatch
):
    rng = random.Random(11)
    replies = ["421 4.7.0 Too busy, closing", "451 4.3.0 Try again later"]
    server = smtp_server(lambda stage, rcpt, n: rng.choice(replies) if rng.random() < 0.2 else None)
    expected = sorted(mail_site.subscribers(297) + PARTNER_CONTACTS)
    monkeypatch.setenv("KOMMUNEPARTNER_SECRET", SECRET["KOMMUNEPARTNER_SECRET"])
    options = Options(
        settings=mail_site.settings,
        content=mail_site.root / "content",
        partners=mail_site.root / "partners.yaml",
        state=mail_site.state,
        now="2026-06-01",
    )
    summary = sending.send_issue(
        sending.prepare_send(options, "nr-1"),
        server.url,
        server.password,
        connections=2,
        backoff=Backoff(first=0.01, cap=0.05),
        context=server.client_context(),
    )
    assert summary.delivered == 300 and not summary.not_delivered
    assert sorted(server.recorder.by_rcpt()) == expected
    assert all(len(v) == 1 for v in server.recorder.by_rcpt().values())
    ledger = rows(mail_site)
    assert {a: d.attempts for a, d in ledger.items()} == dict(server.recorder.attempts)
    assert sum(d.attempts for d in ledger.values()) > 330  # about 1 in 5 attempts refused


def test_permanent_refusals_fail_once_are_suppressed_and_skipped_next_issue(
    cli, mail_site, smtp_server
):
    subs = mail_site.subscribers(197)
    bad = set(subs[::20])  # 5 %
    server = smtp_server(lambda stage, rcpt, n: "550 5.1.1 No such user" if rcpt in bad else None)
    result = send(cli, mail_site, server, "--connections", "2")
    assert result.exit_code == 1
    assert f"{200 - len(bad)} of 200 delivered" in result.output
    assert f"{len(bad)} not delivered:" in result.output
    for address in bad:
        assert f"  {address}  failed after 1 attempt(s): 550 5.1.1 No such user" in result.output
        assert server.recorder.attempts[address] == 1
        assert load_suppression(mail_site.state / "suppression.csv")[address].reason == "bounced"

    status = cli(
        "newsletter", "status", "nr-1", "--settings", mail_site.settings, "--state", mail_site.state
    )
    assert status.exit_code == 0
    assert status.output.startswith(f"nr-1: 200 recipients — {200 - len(bad)} delivered, 10 failed")

    again = send(cli, mail_site, server)  # resumed: the delivered are skipped, the failed
    assert again.exit_code == 0, again.output  # are suppressed now, so out of the plan
    assert "190 of 190 delivered (0 in this run, 190 before)" in again.output
    unsub = cli("subscribers", "unsubscribe", "Sub00003@example.net", "--state", mail_site.state)
    assert unsub.exit_code == 0 and "added to" in unsub.output

    nxt = send(cli, mail_site, server, slug="nr-2")
    assert nxt.exit_code == 0, nxt.output
    assert "189 of 189 delivered" in nxt.output
    attempts = server.recorder.attempts
    assert all(attempts[a] == 1 for a in bad), "a failed address is never tried again"
    assert attempts["sub00003@example.net"] == 1, "an unsubscribed address gets nothing more"
    assert attempts["sub00004@example.net"] == 2


def test_to_sends_both_editions_to_one_address_outside_the_ledger(cli, mail_site, smtp_server):
    server = smtp_server()
    result = send(cli, mail_site, server, "--to", "redaktor@example.org")
    assert result.exit_code == 0, result.output
    got = server.recorder.by_rcpt()
    assert list(got) == ["redaktor@example.org"] and len(got["redaktor@example.org"]) == 2
    bodies = [strict(r.data) for r in got["redaktor@example.org"]]
    assert bodies[0]["Message-ID"] != bodies[1]["Message-ID"]
    texts = [m.get_body(("plain",)).get_content() for m in bodies]
    # partner edition (with the test key, never a real partner's), then public
    assert "#k=0000." in texts[0] and "#k=4601." not in texts[0] and "#k=" not in texts[1]
    assert not (mail_site.state / lg.LEDGER_FILE).exists()
