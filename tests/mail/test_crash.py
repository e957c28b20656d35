"""The sender killed with SIGKILL at 20 random points of a 2,000-recipient send, resumed each time."""

from __future__ import annotations

import email
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kommunepartner.mail import ledger as lg

pytestmark = [pytest.mark.mail, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
PARTNER_CONTACTS = ["anne@example.org", "kari@example.org", "ola@example.org"]
KILLS = 20


def test_killed_20_times_and_resumed_everyone_gets_it_duplicates_keep_their_id(
    mail_site, smtp_server
):
    expected = sorted(mail_site.subscribers(1997) + PARTNER_CONTACTS)
    server = smtp_server()
    command = [
        sys.executable,
        str(ROOT / "tasks.py"),
        *("newsletter", "send", "nr-1", *map(str, mail_site.args())),
        *("--smtp", server.url, "--connections", "1", "--yes"),  # no terminal to confirm on
    ]
    env = {**os.environ, **server.env()}
    rng = random.Random(20260601)
    points = sorted(rng.sample(range(20, 1980), KILLS))  # messages received before each kill
    kills = 0
    for point in points:
        sender = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        while server.recorder.count() < point and sender.poll() is None:
            time.sleep(0.002)
        if sender.poll() is None:
            os.kill(sender.pid, signal.SIGKILL)
            kills += 1
        sender.wait(timeout=30)
    assert kills == KILLS

    final = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stdout + final.stderr
    assert "2000 of 2000 delivered" in final.stdout

    got = server.recorder.by_rcpt()
    assert sorted(got) == expected, "2,000 of 2,000 delivered"
    duplicates = {rcpt: copies for rcpt, copies in got.items() if len(copies) > 1}
    # At most one extra copy per kill. Two kills close together can both land while the same
    # message waits for its 250, so one address may get three copies: still one per kill.
    extras = len(server.recorder.received) - 2000
    assert extras == sum(len(c) - 1 for c in duplicates.values()) <= KILLS
    for copies in duplicates.values():
        ids = {email.message_from_bytes(c.data)["Message-ID"] for c in copies}
        assert len(ids) == 1, "a resent message keeps the first one's id"
    ledger = lg.Ledger.in_state_dir(mail_site.state)
    assert ledger.counts("nr-1") == {lg.DELIVERED: 2000}
    ledger.close()
