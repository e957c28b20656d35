"""An outgoing message as bytes: its stable Message-ID, its Date, and the DKIM signature."""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from pathlib import Path

import dkim

from kommunepartner.access.crypto import b64u
from kommunepartner.base.errors import ConfigError
from kommunepartner.base.schema import OSLO
from kommunepartner.mail.message import SMTP_POLICY

log = logging.getLogger(__name__)

# Signed when present; RFC 8058 asks that both List-Unsubscribe headers be covered.
DKIM_HEADERS = (
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "reply-to",
    "list-id",
    "list-unsubscribe",
    "list-unsubscribe-post",
    "mime-version",
    "content-type",
    "content-language",
)


def sender_domain(sender: str) -> str:
    """The domain of the From address: `Perspektiv <perspektiv@example.org>` → example.org."""
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"


def envelope_sender(sender: str) -> str:
    """The bare address for MAIL FROM."""
    return parseaddr(sender)[1]


def stable_message_id(secret: bytes, issue: str, email: str, domain: str) -> str:
    """`<issue.TOKEN@domain>`: the same for an issue and address in every run, unguessable."""
    mac = hmac.new(secret, f"message-id\n{issue}\n{email.strip().lower()}".encode(), hashlib.sha256)
    return f"<{issue}.{b64u(mac.digest()[:15])}@{domain}>"


def one_off_message_id(domain: str) -> str:
    """A fresh Message-ID for a test send, so a repeated test is not taken for a duplicate."""
    return make_msgid("test", domain=domain)


def ledger_date(timestamp: float | None) -> datetime:
    """The Date header of a delivery: the moment of its first attempt, in Oslo time."""
    return datetime.fromtimestamp(timestamp or datetime.now().timestamp(), OSLO).replace(
        microsecond=0
    )


class DkimSigner:
    """Signs message bytes with a DKIM key (dkimpy, rsa-sha256, relaxed/relaxed)."""

    def __init__(self, key_file: Path, selector: str, domain: str):
        try:
            self.key = key_file.read_bytes()
        except OSError as exc:
            raise ConfigError(
                f"cannot read the DKIM key {key_file}: {exc.strerror}", "KP_DKIM_KEY_FILE"
            ) from None
        if b"PRIVATE KEY" not in self.key:
            raise ConfigError(
                f"{key_file} is not a PEM private key — generate one with"
                " `openssl genrsa -out dkim.pem 2048`",
                "KP_DKIM_KEY_FILE",
            )
        if not selector or not domain:
            raise ConfigError("DKIM needs KP_DKIM_SELECTOR and a domain", "KP_DKIM_DOMAIN")
        self.selector, self.domain = selector.encode(), domain.encode()

    def sign(self, data: bytes) -> bytes:
        present = {
            line.split(b":", 1)[0].strip().lower()
            for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
            if line[:1] not in (b" ", b"\t") and b":" in line
        }
        include = [h.encode() for h in DKIM_HEADERS if h.encode() in present]
        try:
            header = dkim.sign(
                data,
                self.selector,
                self.domain,
                self.key,
                canonicalize=(b"relaxed", b"relaxed"),
                include_headers=include,
            )
        except dkim.DKIMException as exc:
            raise ConfigError(f"DKIM signing failed: {exc}", "KP_DKIM_KEY_FILE") from None
        return header + data


def message_bytes(msg: EmailMessage, signer: DkimSigner | None = None) -> bytes:
    """The message as sent (CRLF line ends), signed when a DKIM key is configured."""
    data = msg.as_bytes(policy=SMTP_POLICY)
    return signer.sign(data) if signer else data
