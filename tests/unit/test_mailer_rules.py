"""The mailer's pure rules: reply classes, SMTP URLs, the retry schedule, dot-stuffing."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kommunepartner.base.errors import ConfigError
from kommunepartner.mail import ledger as lg
from kommunepartner.mail.mailer import Backoff, SmtpUrl, Transport, classify, parse_smtp_url
from kommunepartner.mail.smtp import dot_stuffed


@pytest.mark.parametrize(
    ("code", "reply", "outcome"),
    [
        (250, "2.0.0 OK queued", lg.DELIVERED),
        (421, "4.7.0 closing", lg.DEFERRED),
        (451, "4.3.0 try again", lg.DEFERRED),
        (452, "4.2.2 mailbox full", lg.DEFERRED),
        (550, "4.7.1 greylisted, come back", lg.DEFERRED),
        (554, "Throttled: too many messages", lg.DEFERRED),
        (550, "5.7.1 Rate limit exceeded", lg.DEFERRED),
        (550, "5.1.1 No such user", lg.FAILED),
        (553, "5.1.3 bad address syntax", lg.FAILED),
        (554, "5.7.1 Message rejected as spam", lg.FAILED),
    ],
)
def test_reply_classes(code, reply, outcome):
    assert classify(code, reply) == outcome


def test_smtp_urls():
    assert parse_smtp_url("smtp+starttls://news@mail.example.org") == SmtpUrl(
        "smtp+starttls", "mail.example.org", 587, "news"
    )
    assert parse_smtp_url("smtps://a%40b@mail.example.org:2465") == SmtpUrl(
        "smtps", "mail.example.org", 2465, "a@b"
    )
    assert parse_smtp_url("smtp://127.0.0.1") == SmtpUrl("smtp", "127.0.0.1", 25, "")
    with pytest.raises(ConfigError, match="not in the URL"):
        parse_smtp_url("smtps://news:secret@mail.example.org")
    with pytest.raises(ConfigError, match="is not an SMTP URL — write smtp\\+starttls://"):
        parse_smtp_url("https://mail.example.org")
    with pytest.raises(ConfigError, match="no SMTP password: set \\$KOMMUNEPARTNER_SMTP_PASSWORD"):
        Transport(parse_smtp_url("smtps://news@mail.example.org"), None)


def test_backoff_doubles_to_an_hour():
    b = Backoff()
    assert [b.delay(n) for n in (1, 2, 3, 7, 8, 20)] == [60, 120, 240, 3600, 3600, 3600]


@given(st.lists(st.sampled_from([b".", b"..", b"a", b"\r\n", b"\n", b" .", b"=2E"]), max_size=30))
def test_dot_stuffing_is_smtplibs(parts):
    data = b"".join(parts)
    # smtplib.SMTP.data(): its regular expression, then CRLF "." CRLF
    expected = re.sub(rb"(?m)^\.", b"..", data)
    expected = (expected if expected.endswith(b"\r\n") else expected + b"\r\n") + b".\r\n"
    assert dot_stuffed(data) == expected
