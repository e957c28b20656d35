"""The send ledger: per issue and recipient, what happened, in SQLite so a crash loses nothing.

A delivery is marked in-flight (and committed) before the SMTP transaction starts and delivered
after the 250 reply; a run killed in between leaves it in-flight, and the next run sends it again
with the same Message-ID and Date. So nobody is lost, and a duplicate is only ever the one
message whose reply was lost.

Rows are kept per site (its URL, from SITEURL): a rehearsal with the development settings
records its deliveries under http://127.0.0.1:8000 and never blocks the real send of the same
issue under the production address.

The database runs in WAL mode with synchronous=NORMAL: every commit is durable against the
sending process being killed (SIGKILL, OOM, Ctrl-C), which is the failure this contract and
tests/mail/test_crash.py cover; only a power cut or OS crash could lose the last commits.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

PENDING, IN_FLIGHT, DELIVERED = "pending", "in-flight", "delivered"
DEFERRED, FAILED, EXPIRED = "deferred", "failed", "deferred-expired"
STATES = (PENDING, IN_FLIGHT, DELIVERED, DEFERRED, FAILED, EXPIRED)
FINAL = (DELIVERED, FAILED, EXPIRED)
LEDGER_FILE = "ledger.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS delivery (
    site TEXT NOT NULL DEFAULT '',  -- the site's URL: a rehearsal never blocks the real send
    issue TEXT NOT NULL,
    address TEXT NOT NULL,          -- lower-cased: the key
    email TEXT NOT NULL,            -- as written
    edition TEXT NOT NULL,
    lang TEXT NOT NULL,
    message_id TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_reply TEXT NOT NULL DEFAULT '',
    planned_at REAL NOT NULL,
    first_attempt_at REAL,          -- also the message's Date header, so a resend is identical
    last_attempt_at REAL,
    next_attempt_at REAL,
    done_at REAL,
    PRIMARY KEY (site, issue, address)
);
CREATE INDEX IF NOT EXISTS delivery_state ON delivery (site, issue, state);
"""
# A ledger from before rows were kept per site: its rows move to site '' (they block nothing).
_MIGRATE = """
ALTER TABLE delivery RENAME TO delivery_v1;
DROP INDEX IF EXISTS delivery_state;
{schema}
INSERT INTO delivery SELECT '', * FROM delivery_v1;
DROP TABLE delivery_v1;
"""


@dataclass(frozen=True)
class Delivery:
    """One row of the ledger: one issue to one address."""

    issue: str
    address: str
    email: str
    edition: str
    lang: str
    message_id: str
    state: str
    attempts: int
    last_reply: str
    planned_at: float
    first_attempt_at: float | None
    last_attempt_at: float | None
    next_attempt_at: float | None
    done_at: float | None


class Ledger:
    """SQLite ledger, safe to share between the sending threads (one lock, short transactions).

    `site` scopes every read and write to one site's rows; None (reading tools) sees all sites.
    """

    def __init__(self, path: Path | str, site: str | None = None):
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path, self.site = path, site
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        with self._lock:
            # WAL + NORMAL: a committed row survives the process being killed (not a power cut,
            # which is not the failure a mail run needs to survive) at a fraction of FULL's cost.
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=10000")
            columns = [r[1] for r in self._db.execute("PRAGMA table_info(delivery)")]
            if columns and "site" not in columns:
                self._db.executescript(f"BEGIN IMMEDIATE;{_MIGRATE.format(schema=_SCHEMA)}COMMIT;")
            self._db.executescript(_SCHEMA)

    @classmethod
    def in_state_dir(cls, state_dir: Path, site: str | None = None) -> Ledger:
        return cls(state_dir / LEDGER_FILE, site)

    def _scope(self) -> tuple[str, tuple]:
        """The site condition of every statement (none when this ledger reads every site)."""
        return (" AND site = ?", (self.site,)) if self.site is not None else ("", ())

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def plan(self, issue: str, entries: list[tuple[str, str, str, str]], now: float) -> int:
        """Add (email, edition, lang, message_id) rows not yet in the ledger; return how many."""
        with self._lock:
            before = self._count(issue)
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR IGNORE INTO delivery (site, issue, address, email, edition, lang,"
                " message_id, state, planned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (self.site or "", issue, e.lower(), e, ed, lang, mid, PENDING, now)
                    for e, ed, lang, mid in entries
                ],
            )
            self._db.execute("COMMIT")
            return self._count(issue) - before

    def start(self, issue: str, address: str, now: float) -> Delivery:
        """Mark one delivery in-flight (committed) just before its SMTP transaction."""
        return self._update(
            issue,
            address,
            "state = ?, attempts = attempts + 1, last_attempt_at = ?,"
            " first_attempt_at = COALESCE(first_attempt_at, ?)",
            (IN_FLIGHT, now, now),
        )

    def delivered(self, issue: str, address: str, reply: str, now: float) -> None:
        """Mark one delivery delivered (committed); once per message, so no row is read back."""
        where, scope = self._scope()
        with self._lock:
            done = self._db.execute(
                "UPDATE delivery SET state = ?, last_reply = ?, done_at = ?, next_attempt_at = NULL"
                f" WHERE issue = ? AND address = ?{where}",
                (DELIVERED, reply, now, issue, address.lower(), *scope),
            ).rowcount
        if not done:
            raise KeyError(f"{address} is not in the ledger of {issue}")

    def failed(self, issue: str, address: str, reply: str, now: float) -> Delivery:
        return self._finish(issue, address, FAILED, reply, now)

    def expired(self, issue: str, address: str, reply: str, now: float) -> Delivery:
        return self._finish(issue, address, EXPIRED, reply, now)

    def deferred(self, issue: str, address: str, reply: str, retry_at: float) -> Delivery:
        return self._update(
            issue,
            address,
            "state = ?, last_reply = ?, next_attempt_at = ?",
            (DEFERRED, reply, retry_at),
        )

    def get(self, issue: str, address: str) -> Delivery | None:
        where, scope = self._scope()
        with self._lock:
            row = self._db.execute(
                f"SELECT * FROM delivery WHERE issue = ? AND address = ?{where}",
                (issue, address.lower(), *scope),
            ).fetchone()
        return _delivery(row) if row else None

    def rows(self, issue: str) -> list[Delivery]:
        where, scope = self._scope()
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM delivery WHERE issue = ?{where} ORDER BY planned_at, rowid",
                (issue, *scope),
            ).fetchall()
        return [_delivery(r) for r in rows]

    def due(self, issue: str, now: float) -> list[Delivery]:
        """Deliveries to attempt now: pending, left in-flight by a crash, or deferred and due."""
        where, scope = self._scope()
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM delivery WHERE issue = ?{where} AND (state IN (?, ?)"
                " OR (state = ? AND next_attempt_at <= ?)) ORDER BY planned_at, rowid",
                (issue, *scope, PENDING, IN_FLIGHT, DEFERRED, now),
            ).fetchall()
        return [_delivery(r) for r in rows]

    def counts(self, issue: str) -> Counter:
        where, scope = self._scope()
        with self._lock:
            rows = self._db.execute(
                f"SELECT state, COUNT(*) FROM delivery WHERE issue = ?{where} GROUP BY state",
                (issue, *scope),
            ).fetchall()
        return Counter({state: n for state, n in rows})

    def issues(self) -> list[str]:
        where, scope = self._scope()
        with self._lock:
            rows = self._db.execute(
                f"SELECT DISTINCT issue FROM delivery WHERE 1{where} ORDER BY issue", scope
            )
            return [r[0] for r in rows]

    def purge(self, before: float) -> int:
        """Delete rows finished before `before` (a timestamp), of every site; how many.

        Rows still pending, in flight or deferred are kept: a send in progress never loses one.
        """
        with self._lock:
            return self._db.execute(
                f"DELETE FROM delivery WHERE state IN ({', '.join('?' * len(FINAL))})"
                " AND COALESCE(done_at, planned_at) < ?",
                (*FINAL, before),
            ).rowcount

    def sites(self, issue: str) -> list[str]:
        """The sites that have rows of this issue (for saying where a send went)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT site FROM delivery WHERE issue = ? ORDER BY site", (issue,)
            )
            return [r[0] for r in rows]

    def _count(self, issue: str) -> int:
        where, scope = self._scope()
        return self._db.execute(
            f"SELECT COUNT(*) FROM delivery WHERE issue = ?{where}", (issue, *scope)
        ).fetchone()[0]

    def _finish(self, issue: str, address: str, state: str, reply: str, now: float) -> Delivery:
        return self._update(
            issue,
            address,
            "state = ?, last_reply = ?, done_at = ?, next_attempt_at = NULL",
            (state, reply, now),
        )

    def _update(self, issue: str, address: str, assignments: str, values: tuple) -> Delivery:
        where, scope = self._scope()
        with self._lock:
            # fetchall: the statement must finish for its autocommit to happen now.
            rows = self._db.execute(
                f"UPDATE delivery SET {assignments} WHERE issue = ? AND address = ?{where}"
                " RETURNING *",
                (*values, issue, address.lower(), *scope),
            ).fetchall()
        row = rows[0] if rows else None
        if row is None:
            raise KeyError(f"{address} is not in the ledger of {issue}")
        return _delivery(row)


def _delivery(row: sqlite3.Row) -> Delivery:
    """A row as a Delivery (the site is the ledger's scope, not a field of the record)."""
    data = dict(row)
    data.pop("site", None)
    return Delivery(**data)
