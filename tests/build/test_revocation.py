"""Revocation: a partner that leaves good standing can open nothing in the next build."""

from __future__ import annotations

import pytest

from kommunepartner.access.crypto import unlock_token
from kommunepartner.access.envelope import SealError, open_sealed
from tests.conftest import TEST_SECRET
from tests.sealed import sealed_parts

IDS = ["4601", "1103", "4602", "1106", "1149"]  # P1..P5; P3 = 4602 (Kinn)


def registry(p3_status: str) -> str:
    rows = "".join(
        f"""
  - kommune: "{pid}"
    status: {p3_status if pid == "4602" else "active"}
    since: 2026-01-01
    key_version: 1"""
        for pid in IDS
    )
    return f"""
fee_tiers:
  - {{min_population: 0, max_population: 19999, fee: 50000}}
  - {{min_population: 20000, fee: 100000}}
access:
  briefs: {{default: partners}}
partners:{rows}
"""


CONTENT = {
    f"briefs/notat-{n}.md": f"""
    ---
    title: Notat {n}
    date: 2026-11-0{n}
    summary: Samandrag {n}
    ---

    Brødtekst nummer {n} for partnarar.
    """
    for n in range(1, 4)
}


def tokens() -> dict[str, str]:
    return {pid: unlock_token(TEST_SECRET.encode(), pid, 1) for pid in IDS}


def opened(parts, token) -> int:
    count = 0
    for part in parts:
        try:
            open_sealed(part.payload, token, part.item, part.build)
            count += 1
        except SealError:
            pass
    return count


def test_an_ended_partner_opens_nothing_in_the_next_build_and_the_others_everything(site):
    site.write(CONTENT, registry=registry("active")).build()
    before = sealed_parts(site.output)
    assert len(before) == 3 and all(opened(before, t) == 3 for t in tokens().values())

    site.write({}, registry=registry("ended")).build()
    after = sealed_parts(site.output)
    assert len(after) == 3
    assert {p.build for p in after}.isdisjoint(p.build for p in before)
    for pid, token in tokens().items():
        assert opened(after, token) == (0 if pid == "4602" else 3), pid
    assert all("4602" not in [k["partner"] for k in p.payload["keys"]] for p in after)
    # What it saved from the earlier build stays readable: the documented limit.
    assert opened(before, tokens()["4602"]) == 3


def test_bumping_key_version_retires_the_old_link(site):
    site.write(CONTENT, registry=registry("active").replace("key_version: 1", "key_version: 2", 1))
    site.build()
    parts = sealed_parts(site.output)
    old, new = (unlock_token(TEST_SECRET.encode(), "4601", v) for v in (1, 2))
    assert opened(parts, new) == 3
    with pytest.raises(SealError) as err:
        open_sealed(parts[0].payload, old, parts[0].item, parts[0].build)
    assert err.value.reason == "wrong-key"


def test_payload_moved_to_another_page_of_the_build_does_not_open(site):
    site.write(CONTENT, registry=registry("active")).build()
    a, b = sealed_parts(site.output)[:2]
    with pytest.raises(SealError):
        open_sealed(a.payload, tokens()["4601"], b.item, b.build)
