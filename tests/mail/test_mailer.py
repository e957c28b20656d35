"""The mailer against a real aiosmtpd (STARTTLS + AUTH): retries, failures, rate, sessions."""

from __future__ import annotations

import random
from email.message import EmailMessage

import pytest

from kommunepartner.base.errors import ConfigError
from kommunepartner.mail import ledger as lg
from kommunepartner.mail.mailer import Backoff, Mailer, Transport, parse_smtp_url
from kommunepartner.mail.outgoing import message_bytes
from kommunepartner.mail.recipient import Recipient

pytestmark = pytest.mark.mail
FAST = Backoff(first=0.01, factor=2, cap=0.05)


def recipients(n: int) -> dict[str, Recipient]:
    return {f"r{i:05d}@example.net": Recipient(f"R{i:05d}@example.net") for i in range(n)}


def build(r: Recipient, d: lg.Delivery) -> bytes:
    msg = EmailMessage()
    msg["From"] = "perspektiv@example.org"
    msg["To"] = r.email
    msg["Subject"] = "Perspektiv"
    msg["Message-ID"] = d.message_id
    msg.set_content(f"Hei {r.email}")
    return message_bytes(msg)


def run(server, people, *, password=None, ledger=None, **kw):
    ledger = ledger or lg.Ledger(":memory:")
    ledger.plan(
        "nr-1", [(r.email, "public", "nn", f"<{a}.1@example.org>") for a, r in people.items()], 0
    )
    transport = Transport(
        parse_smtp_url(server.url),
        password or server.password,
        context=server.client_context(),
        timeout=10,
    )
    mailer = Mailer(transport, ledger, "perspektiv@example.org", **{"backoff": FAST, **kw})
    return mailer.run("nr-1", people, build), ledger


def test_every_recipient_once_over_reused_sessions(smtp_server):
    server = smtp_server()
    people = recipients(300)
    summary, ledger = run(server, people, connections=2)
    assert summary.delivered == 300 and not summary.not_delivered
    got = server.recorder.by_rcpt()
    assert sorted(got) == sorted(people) and all(len(v) == 1 for v in got.values())
    assert server.recorder.sessions == 2, "connections are reused, not one per message"
    assert {d.state for d in ledger.rows("nr-1")} == {lg.DELIVERED}


def test_temporary_refusals_are_retried_until_delivered(smtp_server):
    rng = random.Random(7)

    def fault(stage, rcpt, attempt):
        if rng.random() < 0.2:
            return rng.choice(["421 4.7.0 Too busy, closing", "451 4.3.0 Try again later"])
        return None

    server = smtp_server(fault)
    people = recipients(200)
    summary, ledger = run(server, people, connections=2)
    assert summary.delivered == 200, [d.last_reply for d in summary.not_delivered]
    rows = {d.address: d for d in ledger.rows("nr-1")}
    assert {a: d.attempts for a, d in rows.items()} == dict(server.recorder.attempts)
    assert sum(d.attempts for d in rows.values()) > 200, "some needed more than one attempt"
    assert all(len(v) == 1 for v in server.recorder.by_rcpt().values())


def test_permanent_refusals_fail_once_and_are_handed_on(smtp_server):
    bad = {f"r{i:05d}@example.net" for i in range(0, 200, 20)}  # 5 %
    server = smtp_server(lambda stage, rcpt, n: "550 5.1.1 No such user" if rcpt in bad else None)
    failed: list[lg.Delivery] = []
    summary, ledger = run(server, recipients(200), on_failed=failed.append)
    assert summary.delivered == 190
    assert {d.address for d in summary.not_delivered} == bad
    assert {d.address for d in failed} == bad
    for d in summary.not_delivered:
        assert (d.state, d.attempts, d.last_reply) == (lg.FAILED, 1, "550 5.1.1 No such user")
        assert server.recorder.attempts[d.address] == 1


@pytest.mark.parametrize(
    ("reply", "state"),
    [("552 4.2.2 Mailbox full, try later", lg.DEFERRED), ("554 Throttled", lg.DEFERRED)],
)
def test_5xx_with_temporary_meaning_is_deferred(smtp_server, reply, state):
    server = smtp_server(lambda stage, rcpt, n: reply if n == 1 else None)
    summary, ledger = run(server, recipients(3))
    assert summary.delivered == 3
    assert all(d.attempts == 2 for d in ledger.rows("nr-1"))


def test_deferred_for_48_hours_expires_and_is_not_suppressed(smtp_server):
    server = smtp_server(lambda stage, rcpt, n: "451 4.7.1 Greylisted")
    now = [1_000_000.0]
    failed: list = []
    summary, ledger = run(
        server,
        recipients(2),
        backoff=Backoff(),  # the real schedule: 1 min doubling to 1 h, 48 h in all
        clock=lambda: now[0],
        sleep=lambda s: now.__setitem__(0, now[0] + s),
        on_failed=failed.append,
    )
    assert summary.delivered == 0 and not failed
    for d in summary.not_delivered:
        assert d.state == lg.EXPIRED and d.last_reply == "451 4.7.1 Greylisted"
        assert d.done_at - d.first_attempt_at == pytest.approx(48 * 3600)
        assert 50 < d.attempts < 60  # 1, 2, 4 ... 32 min, then hourly to 48 h


def test_wrong_password_sends_and_marks_nothing(smtp_server):
    server = smtp_server()
    with pytest.raises(ConfigError, match="refused the login of news"):
        run(server, recipients(5), password="wrong")
    assert server.recorder.count() == 0
