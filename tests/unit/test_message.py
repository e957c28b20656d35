"""Unsubscribe tokens and the List-Unsubscribe headers of one message."""

from __future__ import annotations

from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kommunepartner.base.config import config_from_settings
from kommunepartner.base.errors import ConfigError
from kommunepartner.mail.message import Unsubscribe, build_message, list_id, unsubscribe_for
from kommunepartner.mail.recipient import Recipient
from kommunepartner.mail.unsubscribe import unsubscribe_token, verify_unsubscribe_token

SECRET = b"test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
OTHER = b"another-secret-0123456789-abcdefghijklmnopqrstuv"


def config(**settings):
    return config_from_settings({"KP_PROJECT_ROOT": str(Path.cwd()), **settings})


@given(
    st.emails(),
    st.sampled_from(["perspektiv", "nyheiter"]),
)
def test_a_token_verifies_to_its_address_and_newsletter(email, newsletter):
    request = verify_unsubscribe_token(SECRET, unsubscribe_token(SECRET, email, newsletter))
    assert request is not None
    assert (request.email, request.newsletter) == (email.strip().lower(), newsletter)


def test_a_token_is_url_safe_and_case_insensitive_in_the_address():
    token = unsubscribe_token(SECRET, "Kari.Nordmann@Example.org", "perspektiv")
    assert token == unsubscribe_token(SECRET, "kari.nordmann@example.org", "perspektiv")
    assert all(c.isalnum() or c in "-_." for c in token)


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # tag changed
        lambda t: "a" + t,  # payload changed
        lambda t: t.split(".")[0],  # no tag
        lambda t: "",
        lambda t: "!!!.???",
    ],
)
def test_a_damaged_token_is_refused(damage):
    token = unsubscribe_token(SECRET, "kari@example.org", "perspektiv")
    assert verify_unsubscribe_token(SECRET, damage(token)) is None


def test_a_token_made_with_another_secret_is_refused():
    token = unsubscribe_token(OTHER, "kari@example.org", "perspektiv")
    assert verify_unsubscribe_token(SECRET, token) is None


def test_a_forged_address_cannot_reuse_a_tag():
    mine = unsubscribe_token(SECRET, "me@example.org", "perspektiv")
    theirs = unsubscribe_token(SECRET, "victim@example.org", "perspektiv")
    forged = theirs.split(".")[0] + "." + mine.split(".")[1]
    assert verify_unsubscribe_token(SECRET, forged) is None


def test_headers_with_and_without_the_https_url():
    with_url = unsubscribe_for(
        config(KP_UNSUBSCRIBE_URL="https://example.org/avmelding?list=p"),
        SECRET,
        "kari@example.org",
        "perspektiv",
    )
    token = unsubscribe_token(SECRET, "kari@example.org", "perspektiv")
    assert with_url.https == f"https://example.org/avmelding?list=p&t={token}"
    assert with_url.link == with_url.https
    headers = with_url.headers()
    assert headers["List-Unsubscribe"].startswith(f"<{with_url.https}>, <mailto:")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail_only = unsubscribe_for(config(), SECRET, "kari@example.org", "perspektiv")
    assert mail_only.link.startswith("mailto:avmelding@example.org?subject=unsubscribe%20")
    assert "List-Unsubscribe-Post" not in mail_only.headers()


def test_a_plain_http_unsubscribe_url_is_a_config_error():
    with pytest.raises(ConfigError, match="KP_UNSUBSCRIBE_URL"):
        unsubscribe_for(config(KP_UNSUBSCRIBE_URL="http://example.org/x"), SECRET, "a@b.no", "p")


def test_build_message_is_strictly_valid_with_non_ascii_everywhere():
    msg = build_message(
        sender="Perspektiv frå Initiativ Vest <perspektiv@example.org>",
        recipient=Recipient("kari@example.org", "Kåre Ødegård", "public", "nn"),
        subject="Perspektiv nr. 3: Kraft, sentrum og partnartreff – med æøå",
        text="Hei, Kåre!\n" + "Ei lang linje " * 200 + "\n",
        html="<!doctype html><html lang='nn'><body><p>Hei, Kåre!</p>"
        + "x" * 5000
        + "</body></html>",
        message_id="p3.kari@example.org",
        date=datetime(2026, 11, 30, 12, 0),
        reply_to="post@example.org",
        unsubscribe=Unsubscribe("mailto:avmelding@example.org?subject=x", "https://e.org/a?t=1"),
        newsletter="perspektiv",
        lang="nn",
    )
    raw = bytes(msg)
    assert max(len(line) for line in raw.split(b"\n")) <= 998
    parsed = message_from_bytes(raw, policy=policy.strict)
    assert [p.defects for p in parsed.walk()] == [[], [], []]
    assert parsed["Message-ID"] == "<p3.kari@example.org>"
    assert parsed["Date"] == "Mon, 30 Nov 2026 12:00:00 +0100"  # naive = Europe/Oslo
    assert parsed["To"].addresses[0].display_name == "Kåre Ødegård"
    assert parsed["Subject"] == "Perspektiv nr. 3: Kraft, sentrum og partnartreff – med æøå"
    assert parsed["List-Id"] == "Perspektiv <perspektiv.example.org>"
    assert parsed["Content-Language"] == "nn"
    assert parsed.get_body(("plain",)).get_content().startswith("Hei, Kåre!")


def test_list_id_falls_back_when_the_sender_has_no_domain():
    assert list_id("Perspektiv", "perspektiv") == "Perspektiv <perspektiv.localhost>"


def test_a_newsletter_without_any_unsubscribe_address_is_a_config_error():
    with pytest.raises(ConfigError, match="KP_UNSUBSCRIBE_MAILTO"):
        unsubscribe_for(config(KP_UNSUBSCRIBE_MAILTO=""), SECRET, "a@b.no", "perspektiv")
    https_only = unsubscribe_for(
        config(KP_UNSUBSCRIBE_MAILTO="", KP_UNSUBSCRIBE_URL="https://e.org/a"),
        SECRET,
        "a@b.no",
        "p",
    )
    assert https_only.headers()["List-Unsubscribe"] == f"<{https_only.https}>"
