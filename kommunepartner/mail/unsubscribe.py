"""Signed per-recipient unsubscribe tokens: HMAC-SHA256 under a key derived from the site secret."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kommunepartner.access.crypto import b64u, unb64u

TAG_BYTES = 16  # 128-bit tag: short enough for a URL, far beyond guessing


@dataclass(frozen=True)
class UnsubscribeRequest:
    """What a valid token says: this address leaves this newsletter."""

    email: str
    newsletter: str


def _key(secret: bytes) -> bytes:
    """The unsubscribe key; separate from partner keys by its HKDF info."""
    info = b"kommunepartner/unsubscribe/v1"
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def _tag(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(_key(secret), payload, hashlib.sha256).digest()[:TAG_BYTES]


def unsubscribe_token(secret: bytes, email: str, newsletter: str) -> str:
    """`<payload b64url>.<tag b64url>`, payload = "newsletter\\nemail" (address lower-cased)."""
    payload = f"{newsletter}\n{email.strip().lower()}".encode()
    return f"{b64u(payload)}.{b64u(_tag(secret, payload))}"


def verify_unsubscribe_token(secret: bytes, token: str) -> UnsubscribeRequest | None:
    """The request a token carries, or None if it was not made with this secret or is damaged."""
    head, dot, tail = token.strip().partition(".")
    if not dot or not head or not tail:
        return None
    try:
        payload, tag = unb64u(head), unb64u(tail)
    except (ValueError, TypeError):
        return None
    if not hmac.compare_digest(tag, _tag(secret, payload)):
        return None
    try:
        newsletter, _, email = payload.decode("utf-8").partition("\n")
    except UnicodeDecodeError:
        return None
    return UnsubscribeRequest(email, newsletter) if email and newsletter else None
