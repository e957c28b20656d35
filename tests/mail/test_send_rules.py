"""Safe production sends against aiosmtpd: development settings reach only a catcher on this
machine or --to, the ledger is kept per site, test copies say so and open nothing, and a real
send shows its plan and goes on only when confirmed."""

from __future__ import annotations

import email
import email.policy

import pytest

from kommunepartner.mail import ledger as lg
from tests.mail.test_send import PARTNER_CONTACTS, send

pytestmark = pytest.mark.mail
PRODUCTION = {
    "SITEURL": "https://kommunepartner.example.org",
    "KP_PRODUCTION": True,
    "KP_SECRET_FILE": None,
}


def parsed(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def test_development_settings_refuse_a_server_off_this_machine(cli, mail_site):
    result = cli(
        "newsletter", "send", "nr-1", *mail_site.args(),
        "--smtp", "smtp://mail.example.org:25", "--yes",
        env={"KOMMUNEPARTNER_SECRET": "mail-test-secret-0123456789-abcdefghijklmnop"},
    )  # fmt: skip
    assert result.exit_code == 2
    assert "the development settings send only to a mail catcher on this machine" in result.output
    assert "not to mail.example.org" in result.output and "publishconf.py" in result.output
    assert not (mail_site.state / lg.LEDGER_FILE).exists()


def test_a_rehearsal_never_blocks_the_real_send(cli, mail_site, smtp_server):
    mail_site.subscribers(3)
    server = smtp_server()
    rehearsal = send(cli, mail_site, server)
    assert rehearsal.exit_code == 0, rehearsal.output
    assert "6 of 6 delivered (6 in this run, 0 before)" in rehearsal.output
    mail_site.configure(**PRODUCTION)
    real = send(cli, mail_site, server)
    assert real.exit_code == 0, real.output
    assert "6 of 6 delivered (6 in this run, 0 before)" in real.output
    assert "with the links of https://kommunepartner.example.org" in real.output
    last = parsed(server.recorder.received[-1].data).get_body(("plain",)).get_content()
    assert "https://kommunepartner.example.org/" in last and "127.0.0.1:8000" not in last
    ledger = lg.Ledger.in_state_dir(mail_site.state)
    assert ledger.sites("nr-1") == ["http://127.0.0.1:8000", "https://kommunepartner.example.org"]
    ledger.close()
    again = send(cli, mail_site, server)  # the real send, resumed: nobody twice
    assert "6 of 6 delivered (0 in this run, 6 before)" in again.output


def test_test_copies_say_test_edition_and_language_and_open_nothing(cli, mail_site, smtp_server):
    server = smtp_server()
    result = send(cli, mail_site, server, "--to", "redaktor@example.org")
    assert result.exit_code == 0, result.output
    got = [parsed(r.data) for r in server.recorder.received]
    assert [m["Subject"] for m in got] == [
        "[TEST] partnarutgåva, nynorsk: Perspektiv 1",
        "[TEST] den opne utgåva, nynorsk: Perspektiv 1",
    ]
    for m in got:
        text = m.get_body(("plain",)).get_content()
        html = m.get_body(("html",)).get_content()
        assert text.startswith("TEST – ") and "ikkje til lesarane" in text
        assert '<div role="note"' in html and "testnøkkel som ikkje opnar noko" in html
        assert "#k=4601." not in text and "#k=1114." not in text
    assert "#k=0000." in got[0].get_body(("plain",)).get_content()
    assert not (mail_site.state / lg.LEDGER_FILE).exists()


def test_a_real_send_shows_its_plan_and_needs_a_terminal_or_yes(cli, mail_site, smtp_server):
    lines = ["email,name,lang,newsletters", "Kari@example.org,Kari Abonnent,nb,perspektiv"]
    lines += ["sub1@example.net,Sub Ein,nb,perspektiv"]
    (mail_site.state / "subscribers.csv").write_text("\n".join(lines) + "\n")
    server = smtp_server()
    asked = cli(
        "newsletter", "send", "nr-1", *mail_site.args(), "--smtp", server.url,
        env=server.env(),
    )  # fmt: skip
    assert asked.exit_code == 2
    assert "Send nr-1 (Perspektiv 1) to 4 readers through" in asked.output
    assert "  partner edition, nn: 3" in asked.output and "  public edition, nb: 1" in asked.output
    assert (
        "duplicates left out: Kari Abonnent <Kari@example.org> (a subscriber; kept as a contact"
        " of Bergen)" in asked.output
    )
    assert "no terminal to confirm the send on" in asked.output and "--yes" in asked.output
    assert server.recorder.count() == 0 and not (mail_site.state / lg.LEDGER_FILE).exists()
    sent = send(cli, mail_site, server)
    assert sent.exit_code == 0, sent.output
    assert sorted(server.recorder.by_rcpt()) == sorted([*PARTNER_CONTACTS, "sub1@example.net"])
