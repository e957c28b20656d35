"""Envelope encryption of partners-only HTML: one content key per payload, wrapped per partner.

A sealed payload is plain JSON, embedded in the page as `<script type="application/json"
class="kp-sealed">` (never indexed, never executed) next to the empty element it fills.
The page script (themes/kommunepartner/static/js/access.js) opens it with WebCrypto.

- body: AES-256-GCM under a fresh random content key, associated data binds item + build;
- content key: wrapped with AES-256-GCM once per partner in good standing, under that partner's
  key (crypto.partner_key), associated data binds item + build + partner + key_version.
So a ciphertext or wrapped key copied to another item, part or build does not decrypt.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kommunepartner.access.crypto import b64u, partner_key, unb64u

FORMAT = 1
DOMAIN = "kommunepartner/v1"
NONCE_BYTES = 12
KEY_BYTES = 32


class Reader(Protocol):
    """Who may read: a registry Partner, or anything with an id and a key_version."""

    id: str
    key_version: int


class SealError(Exception):
    """A payload that cannot be opened with the given key (absent, wrong, revoked or tampered)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason  # "not-included" | "wrong-key" | "damaged"


@dataclass(frozen=True)
class Token:
    """What follows `#k=` in an unlock link: partner id and the partner's 32-byte key."""

    partner: str
    key: bytes

    @classmethod
    def parse(cls, text: str) -> Token:
        pid, _, key = text.strip().partition(".")
        try:
            raw = unb64u(key)
        except ValueError:
            raw = b""
        if not pid.isdigit() or len(pid) not in (2, 4) or len(raw) != KEY_BYTES:
            raise SealError("wrong-key", f"'{text}' is not an unlock token (<partner id>.<key>)")
        return cls(pid, raw)


def body_aad(item_id: str, build_id: str) -> bytes:
    """Associated data of the body: the item (and part, `key#part`) and the build."""
    return f"{DOMAIN}|body|{item_id}|{build_id}".encode()


def key_aad(item_id: str, build_id: str, partner_id: str, key_version: int) -> bytes:
    """Associated data of one wrapped content key."""
    return f"{DOMAIN}|key|{item_id}|{build_id}|{partner_id}|{key_version}".encode()


def seal(
    html: str,
    item_id: str,
    build_id: str,
    partners: Iterable[Reader],
    secret: bytes,
    random: Callable[[int], bytes] = os.urandom,
) -> dict:
    """Encrypt an HTML fragment so that exactly `partners` can read it, bound to item + build.

    `item_id` is the item's key (`briefs/slug`) for a body, or `events/slug#online_url` for one
    field of an otherwise public page. `random` is replaceable only for golden test vectors.
    """
    content_key = random(KEY_BYTES)
    nonce = random(NONCE_BYTES)
    ciphertext = AESGCM(content_key).encrypt(
        nonce, html.encode("utf-8"), body_aad(item_id, build_id)
    )
    keys = []
    for p in sorted(partners, key=lambda p: p.id):
        wrap_nonce = random(NONCE_BYTES)
        wrapped = AESGCM(partner_key(secret, p.id, p.key_version)).encrypt(
            wrap_nonce, content_key, key_aad(item_id, build_id, p.id, p.key_version)
        )
        keys.append(
            {
                "partner": p.id,
                "key_version": p.key_version,
                "nonce": b64u(wrap_nonce),
                "wrapped": b64u(wrapped),
            }
        )
    return {
        "v": FORMAT,
        "item": item_id,
        "build": build_id,
        "nonce": b64u(nonce),
        "ciphertext": b64u(ciphertext),
        "keys": keys,
    }


def open_sealed(payload: dict, token: str, item_id: str, build_id: str) -> str:
    """Decrypt a payload as the page script does: with the page's own item and build ids."""
    t = Token.parse(token)
    entries = [k for k in payload["keys"] if k["partner"] == t.partner]
    if not entries:
        raise SealError("not-included", f"partner {t.partner} is not among this item's readers")
    for entry in entries:
        aad = key_aad(item_id, build_id, t.partner, entry["key_version"])
        try:
            content_key = AESGCM(t.key).decrypt(
                unb64u(entry["nonce"]), unb64u(entry["wrapped"]), aad
            )
            break
        except (InvalidTag, ValueError):
            continue
    else:
        raise SealError("wrong-key", f"the key of partner {t.partner} does not open this item")
    try:
        plain = AESGCM(content_key).decrypt(
            unb64u(payload["nonce"]), unb64u(payload["ciphertext"]), body_aad(item_id, build_id)
        )
    except (InvalidTag, ValueError):
        raise SealError(
            "damaged", "the content does not match its key (damaged or moved)"
        ) from None
    return plain.decode("utf-8")


def part_of(item_id: str) -> str:
    """The part after `#` in an item id (`events/x#online_url` → `online_url`), else ''."""
    return item_id.partition("#")[2]


def embed(payload: dict, slot_id: str, tag: str = "div") -> str:
    """HTML for a page: the empty element the script fills, then the payload as inert JSON.

    The JSON is escaped so that no `<` can close the script element early.
    """
    data = json.dumps(payload, separators=(",", ":"), sort_keys=True).replace("<", "\\u003c")
    part = part_of(payload["item"])
    part_attr = f' data-kp-part="{escape(part)}"' if part else ""
    slot = escape(slot_id)
    return (
        f'<{tag} id="{slot}" class="kp-slot" data-kp-slot hidden></{tag}>'
        f'<script type="application/json" class="kp-sealed" data-kp-fill="{slot}"{part_attr}>'
        f"{data}</script>"
    )
