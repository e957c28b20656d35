"""The state folder (ledger, subscribers, suppression list, build states): an online backup that
is consistent while a send is running, and the purge the privacy page promises."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from kommunepartner.base.config import config_from_settings
from kommunepartner.base.errors import InputError, Problem, shown_path
from kommunepartner.build.settings import Options, load_settings
from kommunepartner.mail import ledger as lg

SQLITE = (".sqlite", ".sqlite3", ".db")


@dataclass(frozen=True)
class Backup:
    folder: Path
    databases: list[str]
    files: list[str]


def state_dir(options: Options) -> Path:
    return config_from_settings(load_settings(options)).state_dir


def backup(options: Options, into: Path) -> Backup:
    """Copy the state folder into `into`: each SQLite database with SQLite's online backup (a
    consistent copy even while it is written), every other file as it is. `into` must be new."""
    source = state_dir(options)
    if not source.is_dir():
        raise InputError(Problem(shown_path(source), message="there is no state folder to back up"))
    if into.exists() and any(into.iterdir()):
        raise InputError(
            Problem(shown_path(into), message="is not empty — back up into a new folder each time")
        )
    databases, files = [], []
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        rel = path.relative_to(source)
        target = into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in SQLITE:
            src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
                if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise InputError(
                        Problem(str(rel), message="the copy fails its integrity check")
                    )
            finally:
                dst.close()
                src.close()
            databases.append(str(rel))
        elif not path.name.endswith(("-wal", "-shm", "-journal")):  # part of a database above
            shutil.copy2(path, target)
            files.append(str(rel))
    return Backup(into, databases, files)


def purge_ledger(options: Options, months: int, now: datetime) -> int:
    """Delete send-log rows finished more than `months` months ago; how many."""
    path = state_dir(options) / lg.LEDGER_FILE
    if not path.is_file():
        return 0
    ledger = lg.Ledger(path)
    try:
        return ledger.purge((now - timedelta(days=round(months * 30.44))).timestamp())
    finally:
        ledger.close()
