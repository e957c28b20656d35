"""Golden vectors: fixed AES-GCM, partner-key and envelope vectors that Python must reproduce.

The same file is checked against the page script in Chromium (tests/browser/test_unlock.py).
Regenerate (only after a deliberate format change; old links and pages stop working):
    .venv/bin/python tests/unit/test_golden_vectors.py > tests/fixtures/crypto/golden_vectors.json
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kommunepartner.access.crypto import b64u, partner_key, unlock_token
from kommunepartner.access.envelope import body_aad, key_aad, open_sealed, seal

ROOT = Path(__file__).resolve().parents[2]

GOLDEN = ROOT / "tests" / "fixtures" / "crypto" / "golden_vectors.json"
# AES-256-GCM test case 16 of McGrew & Viega, "The Galois/Counter Mode of Operation" (NIST).
NIST_16 = {
    "name": "NIST GCM spec test case 16 (AES-256, 20-byte AAD)",
    "key": "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
    "nonce": "cafebabefacedbaddecaf888",
    "aad": "feedfacedeadbeeffeedfacedeadbeefabaddad2",
    "plaintext": "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
    "ciphertext": "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
    "76fc6ece0f4e1768cddf8853bb2d551b",
}


@dataclass(frozen=True)
class _P:
    id: str
    key_version: int


def _fixed_random(label: str):
    """Deterministic stand-in for os.urandom: SHA-256 of label + counter."""
    counter = iter(range(10**6))
    return lambda n: hashlib.sha256(f"{label}/{next(counter)}".encode()).digest()[:n]


def _gcm(name: str, key: bytes, nonce: bytes, aad: bytes, plaintext: bytes) -> dict:
    ct = AESGCM(key).encrypt(nonce, plaintext, aad)
    return {
        "name": name,
        **{k: v.hex() for k, v in dict(key=key, nonce=nonce, aad=aad, plaintext=plaintext).items()},
        "ciphertext": ct.hex(),
    }


def generate() -> dict:
    """Every vector, computed by the Python side (deterministic)."""
    secret = b"golden-vector-secret-not-for-production-use-0123"
    key = hashlib.sha256(b"golden content key").digest()
    nonce = hashlib.sha256(b"golden nonce").digest()[:12]
    partners = [_P("4601", 1), _P("1103", 2), _P("46", 1)]
    envelopes = []
    for item, html in [
        ("briefs/havvind", "<p>Havvind æøå «sitat» – 1 000 kr</p>"),
        (
            "events/partnertreff#online_url",
            '<a href="https://example.org/møte?id=1&amp;p=2">Møte</a>',
        ),
        ("newsletters/tom", ""),
    ]:
        payload = seal(html, item, "golden-build", partners, secret, _fixed_random(item))
        envelopes.append(
            {"item": item, "build": "golden-build", "plaintext": html, "payload": payload}
        )
    return {
        "_about": "Regenerate: see tests/unit/test_golden_vectors.py. Never edit by hand.",
        "aes_gcm": [
            NIST_16,
            _gcm(
                "body",
                key,
                nonce,
                body_aad("briefs/x", "b1"),
                b"<p>Nynorsk: kvifor ikkje?</p>",
            ),
            _gcm("wrapped key", key, nonce, key_aad("briefs/x", "b1", "4601", 3), bytes(range(32))),
            _gcm("empty plaintext", key, nonce, b"", b""),
        ],
        "partner_keys": [
            {
                "secret": secret.decode(),
                "partner": p.id,
                "key_version": p.key_version,
                "key": b64u(partner_key(secret, p.id, p.key_version)),
                "token": unlock_token(secret, p.id, p.key_version),
            }
            for p in [*partners, _P("4601", 2)]
        ],
        "envelopes": envelopes,
    }


def test_python_reproduces_every_committed_vector():
    assert json.loads(GOLDEN.read_text(encoding="utf-8")) == generate()


def test_nist_vector_is_committed_unchanged():
    v = json.loads(GOLDEN.read_text(encoding="utf-8"))["aes_gcm"][0]
    assert v == NIST_16
    ct = AESGCM(bytes.fromhex(v["key"])).encrypt(
        bytes.fromhex(v["nonce"]), bytes.fromhex(v["plaintext"]), bytes.fromhex(v["aad"])
    )
    assert ct.hex() == v["ciphertext"]


def test_every_committed_envelope_opens_for_every_token():
    data = json.loads(GOLDEN.read_text(encoding="utf-8"))
    tokens = [
        k["token"] for k in data["partner_keys"] if k["key_version"] != 2 or k["partner"] == "1103"
    ]
    for env in data["envelopes"]:
        for token in tokens:
            assert open_sealed(env["payload"], token, env["item"], env["build"]) == env["plaintext"]


if __name__ == "__main__":
    print(json.dumps(generate(), ensure_ascii=False, indent=1))
