"""Envelope encryption: round trips, bit flips, moved ciphertext or keys, absent partners."""

from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass

import pytest

from kommunepartner.access.crypto import b64u, unb64u, unlock_token
from kommunepartner.access.envelope import SealError, Token, embed, open_sealed, seal, seal_id

SECRET = b"unit-test-secret-0123456789-abcdefghijklmnop"
BUILD = "build-1"


@dataclass(frozen=True)
class P:
    id: str
    key_version: int = 1


PARTNERS = [P("4601"), P("1103", 2), P("4602"), P("1106", 3), P("46")]


def token(p: P, secret: bytes = SECRET) -> str:
    return unlock_token(secret, p.id, p.key_version)


def test_round_trip_100_items_for_5_partners():
    sealed = {
        f"briefs/item-{i}": seal(
            f"<p>Body {i} æøå «{i}»</p>", f"briefs/item-{i}", BUILD, PARTNERS, SECRET
        )
        for i in range(100)
    }
    for item_id, payload in sealed.items():
        n = item_id.rsplit("-", 1)[1]
        for p in PARTNERS:
            assert open_sealed(payload, token(p), item_id, BUILD) == f"<p>Body {n} æøå «{n}»</p>"


def test_the_same_payload_twice_is_the_same_bytes_and_any_change_draws_new_keys_and_nonces():
    a = seal("<p>x</p>", "briefs/a", BUILD, PARTNERS, SECRET)
    assert seal("<p>x</p>", "briefs/a", BUILD, PARTNERS, SECRET) == a  # a rebuild uploads nothing
    others = [
        seal("<p>y</p>", "briefs/a", BUILD, PARTNERS, SECRET),  # another text
        seal("<p>x</p>", "briefs/b", BUILD, PARTNERS, SECRET),  # another item
        seal("<p>x</p>", "briefs/a", "other-build", PARTNERS, SECRET),  # another build
        seal("<p>x</p>", "briefs/a", BUILD, PARTNERS[:2], SECRET),  # a partner left
        seal("<p>x</p>", "briefs/a", BUILD, PARTNERS, b"another-secret-0123456789abcdefghijkl"),
    ]
    for b in others:
        assert a["ciphertext"] != b["ciphertext"] and a["nonce"] != b["nonce"]
        assert {k["wrapped"] for k in a["keys"]}.isdisjoint(k["wrapped"] for k in b["keys"])
        assert {k["nonce"] for k in a["keys"]}.isdisjoint(k["nonce"] for k in b["keys"])


def test_the_seal_id_changes_with_the_readers_and_the_secret_only():
    ids = {seal_id(SECRET, PARTNERS), seal_id(SECRET, list(reversed(PARTNERS)))}
    assert len(ids) == 1
    assert seal_id(SECRET, PARTNERS[:2]) not in ids
    assert seal_id(b"another-secret-0123456789abcdefghijkl", PARTNERS) not in ids


def test_a_partner_not_sealed_for_cannot_open():
    payload = seal("<p>secret</p>", "briefs/a", BUILD, PARTNERS[:2], SECRET)
    assert [k["partner"] for k in payload["keys"]] == ["1103", "4601"]
    with pytest.raises(SealError) as err:
        open_sealed(payload, token(PARTNERS[2]), "briefs/a", BUILD)
    assert err.value.reason == "not-included"


def test_an_old_key_version_and_another_sites_key_do_not_open():
    payload = seal("<p>secret</p>", "briefs/a", BUILD, [P("4601", 2)], SECRET)
    for wrong in (token(P("4601", 1)), token(P("4601", 2), SECRET + b"other")):
        with pytest.raises(SealError) as err:
            open_sealed(payload, wrong, "briefs/a", BUILD)
        assert err.value.reason == "wrong-key"


def _flip(text: str, rng: random.Random, lo: int = 0, hi: int | None = None) -> str:
    raw = bytearray(unb64u(text))
    bit = rng.randrange(lo * 8, (hi if hi is not None else len(raw)) * 8)
    raw[bit // 8] ^= 1 << (bit % 8)
    return b64u(bytes(raw))


@pytest.mark.parametrize("where", ["ciphertext", "tag", "nonce", "wrapped", "wrap nonce"])
def test_one_flipped_bit_anywhere_fails_in_100_trials(where):
    rng = random.Random(where)
    payload = seal("<p>" + "tekst " * 40 + "</p>", "briefs/a", BUILD, PARTNERS, SECRET)
    me = PARTNERS[1]
    mine = next(i for i, k in enumerate(payload["keys"]) if k["partner"] == me.id)
    body_len = len(unb64u(payload["ciphertext"])) - 16
    for _ in range(100):
        bad = copy.deepcopy(payload)
        if where == "ciphertext":
            bad["ciphertext"] = _flip(bad["ciphertext"], rng, 0, body_len)
        elif where == "tag":
            bad["ciphertext"] = _flip(bad["ciphertext"], rng, body_len)
        elif where == "nonce":
            bad["nonce"] = _flip(bad["nonce"], rng)
        elif where == "wrapped":
            bad["keys"][mine]["wrapped"] = _flip(bad["keys"][mine]["wrapped"], rng)
        else:
            bad["keys"][mine]["nonce"] = _flip(bad["keys"][mine]["nonce"], rng)
        with pytest.raises(SealError) as err:
            open_sealed(bad, token(me), "briefs/a", BUILD)
        assert err.value.reason == (
            "damaged" if where in ("ciphertext", "tag", "nonce") else "wrong-key"
        )


def test_ciphertext_or_wrapped_key_moved_to_another_item_fails():
    a = seal("<p>A</p>", "briefs/a", BUILD, PARTNERS, SECRET)
    b = seal("<p>B</p>", "briefs/b", BUILD, PARTNERS, SECRET)
    tok = token(PARTNERS[0])
    with pytest.raises(SealError):  # the whole payload of a, shown on b's page
        open_sealed(a, tok, "briefs/b", BUILD)
    with pytest.raises(SealError):  # a's ciphertext with b's wrapped keys
        open_sealed(
            {**b, "nonce": a["nonce"], "ciphertext": a["ciphertext"]}, tok, "briefs/b", BUILD
        )
    with pytest.raises(SealError):  # b's wrapped keys pasted into a
        open_sealed({**a, "keys": b["keys"]}, tok, "briefs/a", BUILD)
    with pytest.raises(SealError):  # the same item from another build
        open_sealed(a, tok, "briefs/a", "build-2")
    with pytest.raises(SealError):  # a field's payload used as the item's body
        open_sealed(
            seal("x", "events/e#online_url", BUILD, PARTNERS, SECRET), tok, "events/e", BUILD
        )


def test_wrapped_key_of_one_partner_relabelled_as_another_fails():
    payload = seal("<p>A</p>", "briefs/a", BUILD, PARTNERS, SECRET)
    first, second = payload["keys"][0], payload["keys"][1]
    swapped = {
        **payload,
        "keys": [{**second, "partner": first["partner"], "key_version": first["key_version"]}],
    }
    p = next(p for p in PARTNERS if p.id == first["partner"])
    with pytest.raises(SealError):
        open_sealed(swapped, token(p), "briefs/a", BUILD)


@pytest.mark.parametrize(
    "text", ["", "4601", "4601.", "abcd.AAAA", "4601.short", "460.", "4601." + "A" * 50]
)
def test_malformed_tokens_are_refused(text):
    with pytest.raises(SealError):
        Token.parse(text)


def test_embed_is_inert_json_that_cannot_close_its_script_element():
    payload = seal("<p>x</p>", "events/e#online_url", BUILD, PARTNERS, SECRET)
    payload["build"] = "</script><script>alert(1)</script>"
    html = embed(payload, "kp-online-url", "span")
    assert html.count("</script>") == 1 and "<script>alert" not in html
    assert 'data-kp-part="online_url"' in html and html.startswith('<span id="kp-online-url"')
    data = html.split('data-kp-part="online_url">', 1)[1].removesuffix("</script>")
    assert json.loads(data) == payload
