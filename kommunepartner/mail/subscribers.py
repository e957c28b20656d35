"""Public subscribers and the suppression list: two CSV files outside the published output."""

from __future__ import annotations

import csv
import io
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kommunepartner.base import schema as s
from kommunepartner.base.errors import Collector, InputError, Problem, shown_path
from kommunepartner.base.yamlfile import read_text
from kommunepartner.content.items import NEWSLETTERS

log = logging.getLogger(__name__)

SUBSCRIBER_COLUMNS = ("email", "name", "lang", "newsletters")
SUPPRESSION_COLUMNS = ("email", "reason", "added", "detail")
REASONS = ("unsubscribed", "bounced", "imported", "complaint")


@dataclass(frozen=True)
class Subscriber:
    """A member of the public who asked for a newsletter; lang "" means no stated preference."""

    email: str
    name: str = ""
    lang: str = ""
    newsletters: tuple[str, ...] = NEWSLETTERS


@dataclass(frozen=True)
class Suppression:
    """An address that never gets mail again, and why."""

    email: str
    reason: str
    added: str = ""
    detail: str = ""


def load_subscribers(path: Path) -> list[Subscriber]:
    """Read the subscribers CSV (email,name,lang,newsletters); a missing file means none yet."""
    if not path.is_file():
        return []
    shown = shown_path(path)
    rows = _rows(path, shown, SUBSCRIBER_COLUMNS, required=("email",))
    problems = Collector()
    out: list[Subscriber] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        try:
            address = s.email(row.get("email", ""))
        except s.Invalid as exc:
            problems.add(shown, line, 1, "email", str(exc))
            continue
        low = address.lower()
        if low in seen:
            problems.add(
                shown, line, 1, "email", f"'{address}' is already listed on line {seen[low]}"
            )
            continue
        seen[low] = line
        lang = (row.get("lang") or "").strip()
        if lang not in ("", "nn", "nb"):
            problems.add(
                shown,
                line,
                1,
                "lang",
                f"'{lang}' is not a written standard — use nn or nb, or leave it empty",
            )
            continue
        wanted = tuple((row.get("newsletters") or "").replace(";", " ").split()) or NEWSLETTERS
        unknown = [n for n in wanted if n not in NEWSLETTERS]
        if unknown:
            problems.add(
                shown,
                line,
                1,
                "newsletters",
                f"'{unknown[0]}' is not a newsletter{s.did_you_mean(unknown[0], NEWSLETTERS)}"
                f" — use {', '.join(NEWSLETTERS)}",
            )
            continue
        out.append(Subscriber(address, (row.get("name") or "").strip(), lang, wanted))
    problems.raise_if_any()
    return out


def load_suppression(path: Path) -> dict[str, Suppression]:
    """The suppression list by lower-cased address; a missing file means nobody is suppressed."""
    if not path.is_file():
        return {}
    shown = shown_path(path)
    out: dict[str, Suppression] = {}
    problems = Collector()
    for line, row in _rows(path, shown, SUPPRESSION_COLUMNS, required=("email",)):
        address = (row.get("email") or "").strip()
        if "@" not in address:
            problems.add(shown, line, 1, "email", f"'{address}' is not an email address")
            continue
        out.setdefault(
            address.lower(),
            Suppression(
                address,
                (row.get("reason") or "").strip(),
                (row.get("added") or "").strip(),
                (row.get("detail") or "").strip(),
            ),
        )
    problems.raise_if_any()
    return out


def suppress(path: Path, entries: list[Suppression]) -> list[Suppression]:
    """Append addresses not yet on the suppression list; return those actually added."""
    known = load_suppression(path)
    fresh: list[Suppression] = []
    for e in entries:
        if e.email.lower() not in known:
            known[e.email.lower()] = e
            fresh.append(e)
    if not fresh:
        return []
    path.parent.mkdir(parents=True, exist_ok=True)
    new_file = not path.is_file() or path.stat().st_size == 0
    with open(path, "a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        if new_file:
            writer.writerow(SUPPRESSION_COLUMNS)
        for e in fresh:
            writer.writerow([e.email, e.reason, e.added, e.detail])
        f.flush()
        os.fsync(f.fileno())
    log.info("suppressed %d address(es) in %s", len(fresh), path)
    return fresh


def unsubscribe(path: Path, address: str, when: datetime, reason: str = "unsubscribed") -> bool:
    """Add one address to the suppression list; False when it was already there."""
    try:
        clean = s.email(address)
    except s.Invalid as exc:
        raise InputError(Problem("ADDRESS", message=str(exc))) from None
    return bool(suppress(path, [Suppression(clean, reason, when.isoformat(timespec="seconds"))]))


def import_suppressions(path: Path, source: Path, when: datetime) -> tuple[int, int]:
    """Add every address in SOURCE (one per line, or a CSV with an email column) to the list.

    Every bad line is reported (file:line) and nothing is added until all are right.
    Returns (added, already there).
    """
    shown = shown_path(source)
    if not source.is_file():
        raise InputError(Problem(shown, message="the file does not exist"))
    text = read_text(source, shown)
    lines = text.splitlines()
    header = [c.strip().lower() for c in next(csv.reader([lines[0]]))] if lines else []
    problems = Collector()
    found: list[tuple[int, str, str]] = []
    if "email" in header:
        for line, row in _rows(source, shown, tuple(header), required=("email",), text=text):
            found.append((line, row.get("email", ""), row.get("reason") or "imported"))
    else:
        for n, raw in enumerate(lines, 1):
            if raw.strip() and not raw.lstrip().startswith("#"):
                found.append((n, raw.strip(), "imported"))
    entries: list[Suppression] = []
    stamp = when.isoformat(timespec="seconds")
    for line, address, reason in found:
        try:
            entries.append(Suppression(s.email(address), reason.strip(), stamp, f"from {shown}"))
        except s.Invalid as exc:
            problems.add(shown, line, 1, "email", str(exc))
    problems.raise_if_any()
    added = suppress(path, entries)
    return len(added), len(entries) - len(added)


def _rows(
    path: Path, shown: str, columns: tuple[str, ...], required: tuple[str, ...], text: str = ""
) -> list[tuple[int, dict[str, str]]]:
    """CSV rows with their line numbers; unknown or missing columns are input errors."""
    text = text or read_text(path, shown)
    reader = csv.DictReader(io.StringIO(text))
    header = [c.strip().lower() for c in reader.fieldnames or []]
    problems = Collector()
    for c in header:
        if c not in columns:
            problems.add(
                shown,
                1,
                1,
                "",
                f"unknown column '{c}'{s.did_you_mean(c, columns)} — the columns are"
                f" {', '.join(columns)}",
            )
    for c in required:
        if c not in header:
            problems.add(shown, 1, 1, "", f"the header needs a column '{c}' ({', '.join(columns)})")
    problems.raise_if_any()
    reader.fieldnames = header
    out = []
    for row in reader:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        out.append((reader.line_num, {k: (v or "") for k, v in row.items() if k}))
    return out
