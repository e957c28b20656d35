"""The send ledger: states, resume after a crash, durability across processes."""

from __future__ import annotations

import pytest

from kommunepartner.mail import ledger as lg

ENTRIES = [
    ("Kari@Example.org", "partner", "nn", "<a@x>"),
    ("ola@example.org", "public", "nb", "<b@x>"),
]


def test_plan_is_idempotent_and_keyed_case_insensitively(tmp_path):
    ledger = lg.Ledger(tmp_path / "l.sqlite")
    assert ledger.plan("nr-1", ENTRIES, 10.0) == 2
    assert ledger.plan("nr-1", [("KARI@example.org", "partner", "nn", "<other@x>")], 11.0) == 0
    assert ledger.plan("nr-2", ENTRIES, 12.0) == 2
    row = ledger.get("nr-1", "kari@example.org")
    assert (row.email, row.message_id, row.state, row.attempts) == (
        "Kari@Example.org",
        "<a@x>",
        lg.PENDING,
        0,
    )
    assert ledger.issues() == ["nr-1", "nr-2"]


def test_a_row_left_in_flight_by_a_crash_is_due_again_with_its_message_id(tmp_path):
    path = tmp_path / "l.sqlite"
    first = lg.Ledger(path)
    first.plan("nr-1", ENTRIES, 10.0)
    first.start("nr-1", "kari@example.org", 20.0)
    first.start("nr-1", "ola@example.org", 21.0)
    first.delivered("nr-1", "ola@example.org", "250 OK", 22.0)
    # No close(): as if the process had been killed here. A second process opens the file.
    again = lg.Ledger(path)
    due = again.due("nr-1", 30.0)
    assert [(d.address, d.state, d.message_id) for d in due] == [
        ("kari@example.org", lg.IN_FLIGHT, "<a@x>")
    ]
    resent = again.start("nr-1", "kari@example.org", 40.0)
    assert (resent.attempts, resent.first_attempt_at, resent.last_attempt_at) == (2, 20.0, 40.0)


def test_deferred_rows_wait_for_their_time_and_final_rows_never_return():
    ledger = lg.Ledger(":memory:")
    ledger.plan("nr-1", ENTRIES, 0.0)
    ledger.start("nr-1", "kari@example.org", 1.0)
    ledger.deferred("nr-1", "kari@example.org", "451 4.3.0 later", 100.0)
    ledger.start("nr-1", "ola@example.org", 1.0)
    ledger.failed("nr-1", "ola@example.org", "550 5.1.1 unknown", 2.0)
    assert ledger.due("nr-1", 99.0) == []
    assert [d.address for d in ledger.due("nr-1", 100.0)] == ["kari@example.org"]
    assert ledger.counts("nr-1") == {lg.DEFERRED: 1, lg.FAILED: 1}
    with pytest.raises(KeyError):
        ledger.start("nr-1", "nobody@example.org", 3.0)
