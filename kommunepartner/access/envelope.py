"""Envelope encryption of partners-only HTML: one content key per payload, wrapped per partner.

A sealed payload is plain JSON, embedded in the page as `<script type="application/json"
class="kp-sealed">` (never indexed, never executed) next to the empty element it fills.
The page script (themes/kommunepartner/static/js/access.js) opens it with WebCrypto.

- body: AES-256-GCM under a content key, associated data binds item + build;
- content key: wrapped with AES-256-GCM once per partner in good standing, under that partner's
  key (crypto.partner_key), associated data binds item + build + partner + key_version.
So a ciphertext or wrapped key copied to another item, part or build does not decrypt.

Content keys and nonces are derived (HMAC-SHA256 under a key from the site secret) from
everything the payload binds: the item, the build id, the HTML and the readers with their key
versions. The same site built twice gives the same bytes, so publishing it again uploads
nothing; a changed text or a changed set of readers gets a new content key, exactly as a fresh
random one would, and a nonce is never reused with one key for another plaintext (the content
key encrypts one text; a wrapping nonce is derived from the content key it wraps).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

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


def _derivation_key(secret: bytes, purpose: str) -> bytes:
    info = f"{DOMAIN}/{purpose}".encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def _readers_text(partners: Iterable[Reader]) -> str:
    return ",".join(f"{p.id}.{p.key_version}" for p in sorted(partners, key=lambda p: p.id))


def seal_id(secret: bytes, partners: Iterable[Reader]) -> str:
    """A build's id as pages and payloads bind it: the same while the secret and the readers
    (partners in good standing, with their key versions) stay the same."""
    mac = hmac.new(_derivation_key(secret, "build"), _readers_text(partners).encode(), "sha256")
    return b64u(mac.digest()[:12])


def derived_bytes(
    secret: bytes, item_id: str, build_id: str, html: str, partners: Iterable[Reader]
) -> Callable[[int], bytes]:
    """The key and nonce material of one payload, a function of everything the payload binds."""
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
    text = "|".join((item_id, build_id, digest, _readers_text(partners)))
    seed = hmac.new(_derivation_key(secret, "seal"), text.encode(), "sha256").digest()
    counter = itertools.count()

    def draw(n: int) -> bytes:
        out = b""
        while len(out) < n:
            out += hmac.new(seed, next(counter).to_bytes(8, "big"), "sha256").digest()
        return out[:n]

    return draw


def seal(
    html: str,
    item_id: str,
    build_id: str,
    partners: Iterable[Reader],
    secret: bytes,
    random: Callable[[int], bytes] | None = None,
) -> dict:
    """Encrypt an HTML fragment so that exactly `partners` can read it, bound to item + build.

    `item_id` is the item's key (`briefs/slug`) for a body, or `events/slug#online_url` for one
    field of an otherwise public page. Keys and nonces come from `derived_bytes`; `random`
    replaces them only for golden test vectors.
    """
    partners = list(partners)
    random = random or derived_bytes(secret, item_id, build_id, html, partners)
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
