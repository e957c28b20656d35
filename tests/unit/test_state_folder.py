"""The state folder's backup (consistent while a send writes) and the privacy purges."""

from __future__ import annotations

import sqlite3
import time

from kommunepartner.mail import ledger as lg
from tests.conftest import MINIMAL_REGISTRY

ENTRIES = [(f"r{i}@example.org", "public", "nn", f"<{i}@x>") for i in range(200)]


def test_backup_copies_a_ledger_being_written_and_the_other_files(cli, tmp_path):
    state = tmp_path / "state"
    ledger = lg.Ledger.in_state_dir(state, site="https://kommunepartner.example.org")
    ledger.plan("nr-1", ENTRIES, 1.0)
    ledger.start("nr-1", "r0@example.org", 2.0)  # a send in progress: WAL not checkpointed
    (state / "subscribers.csv").write_text(
        "email,name,lang,newsletters\na@example.org,A,,perspektiv\n"
    )
    result = cli("state", "backup", tmp_path / "backup", "--state", state)
    assert result.exit_code == 0, result.output
    assert "Backed up 1 databases (ledger.sqlite) and 1 other files" in result.output
    copy = sqlite3.connect(tmp_path / "backup" / "ledger.sqlite")
    assert copy.execute("SELECT COUNT(*), SUM(state = 'in-flight') FROM delivery").fetchone() == (
        200,
        1,
    )
    copy.close()
    assert not list((tmp_path / "backup").glob("*-wal"))
    assert (tmp_path / "backup" / "subscribers.csv").read_text().startswith("email,")
    ledger.close()
    again = cli("state", "backup", tmp_path / "backup", "--state", state)
    assert again.exit_code == 2 and "is not empty" in again.output


def test_purge_deletes_only_finished_rows_older_than_the_months_given(cli, tmp_path):
    state = tmp_path / "state"
    ledger = lg.Ledger.in_state_dir(state, site="https://kommunepartner.example.org")
    old = time.time() - 400 * 86400
    ledger.plan("old", ENTRIES[:3], old)
    for e in ENTRIES[:2]:
        ledger.start("old", e[0], old)
        ledger.delivered("old", e[0], "250 OK", old)
    ledger.plan("new", ENTRIES[:3], time.time())
    ledger.close()
    result = cli("state", "purge", "--state", state)
    assert result.exit_code == 0 and "Deleted 2 send-log rows" in result.output
    left = lg.Ledger.in_state_dir(state)
    assert len(left.rows("old")) == 1 and len(left.rows("new")) == 3  # the pending row stays
    left.close()


def test_partners_check_names_contacts_kept_past_the_promised_three_months(cli, tmp_path):
    registry = MINIMAL_REGISTRY.replace("status: pilot", "status: ended").replace(
        "since: 2026-01-01", "since: 2025-01-01\n    until: 2025-12-31"
    )
    (tmp_path / "partners.yaml").write_text(registry)
    soon = cli("partners", "check", "--partners", tmp_path / "partners.yaml", "--on", "2026-03-01")
    assert "warning" not in soon.output
    late = cli("partners", "check", "--partners", tmp_path / "partners.yaml", "--on", "2026-04-15")
    assert late.exit_code == 0
    assert (
        "warning: 4601 Bergen: the agreement ended 2025-12-31 and 1 contacts are still listed"
        in late.output
    )
