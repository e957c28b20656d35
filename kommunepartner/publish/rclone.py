"""Deploying a folder with rclone (any remote: a local folder, SFTP, S3, WebDAV …).

The plan comes from `rclone check --combined`: which files are new, changed or stale. Files are
compared by hash where both sides have one (else rclone downloads to compare), never by
modification time: every build writes fresh files, and an unchanged file must not be sent.
Files go up in an order that never lets a page name something missing: first what pages name
(styles, scripts, pictures, search fragments), then the pages, then what names pages (feeds,
calendars, the sitemap, the search entry point), and stale files are deleted last.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kommunepartner.base.errors import ConfigError, RunError
from kommunepartner.publish.precompress import COPY_SUFFIXES

EXCLUDE = ("/.kommunepartner-output",)  # the build's own marker stays home
TIERS = ("files pages name", "pages", "files that name pages")
_NAMES_PAGES = {"sitemap.xml", "robots.txt", "pagefind/pagefind-entry.json"}
_NO_HASH = ("no common hash", "falling back to --size-only", "hashes could not be checked")


def base_name(path: str) -> str:
    """A precompressed copy's file (`x.html.gz` → `x.html`); any other path as it is."""
    for suffix in COPY_SUFFIXES:
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


def tier(path: str) -> int:
    """0: named by pages; 1: a page; 2: names pages (feeds, calendars, sitemap, search entry)."""
    name = base_name(path)
    if name.endswith(".html"):
        return 1
    if name in _NAMES_PAGES or name.endswith((".xml", ".ics")):
        return 2
    return 0


@dataclass
class Changes:
    """What a deploy does: files to upload (new or changed), and stale files to delete."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    same: int = 0

    @property
    def uploads(self) -> list[str]:
        return sorted(self.new + self.changed)

    def __bool__(self) -> bool:
        return bool(self.new or self.changed or self.stale)


class Rclone:
    """The rclone program, run without a terminal and with our flags."""

    def __init__(self, remote: str, env: dict | None = None) -> None:
        binary = shutil.which("rclone")
        if binary is None:
            raise ConfigError(
                "rclone is not installed — `apt-get install rclone` (Debian), then configure"
                " the remote with `rclone config`",
                "--to",
            )
        self.binary, self.remote, self.env = binary, remote, env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        # A list of files (--files-from-raw) may not be combined with filters: it comes from a
        # comparison that had them.
        listed = "--files-from-raw" in args
        argv = [self.binary, *args, *(a for e in EXCLUDE if not listed for a in ("--exclude", e))]
        done = subprocess.run(
            argv, capture_output=True, text=True, stdin=subprocess.DEVNULL, env=self.env
        )
        if check and done.returncode != 0:
            raise RunError(f"rclone {args[0]} failed ({done.returncode}): {_last_lines(done)}")
        return done

    def changes(self, folder: Path) -> Changes:
        """Compare the folder with the remote, by hash (downloading when there is none)."""
        args = ["check", f"{folder}/", self.remote, "--combined", "-", "--checkers", "8"]
        done = self.run(*args, check=False)
        if any(s in done.stderr.lower() for s in _NO_HASH):
            done = self.run(*args, "--download", check=False)
        out = Changes()
        for line in done.stdout.splitlines():
            mark, _, path = line.partition(" ")
            if mark == "+":
                out.new.append(path)
            elif mark == "*":
                out.changed.append(path)
            elif mark == "-":
                out.stale.append(path)
            elif mark == "=":
                out.same += 1
            elif mark == "!":
                raise RunError(f"rclone could not compare {path}: {_last_lines(done)}")
        if done.returncode not in (0, 1) or (done.returncode == 1 and not out):
            raise RunError(f"rclone check {self.remote} failed: {_last_lines(done)}")
        return out

    def upload(self, folder: Path, paths: Sequence[str]) -> None:
        """Copy exactly these files: the comparison chose them, so none is compared again (a
        remote without hashes would compare by size alone)."""
        with _list_file(paths) as listing:
            self.run(
                "copy", f"{folder}/", self.remote, "--files-from-raw", listing,
                "--ignore-times", "--no-traverse", "--transfers", "4",
            )  # fmt: skip

    def delete(self, paths: Sequence[str]) -> None:
        """Delete exactly these files, then folders left empty."""
        with _list_file(paths) as listing:
            self.run("delete", self.remote, "--files-from-raw", listing)
        self.run("rmdirs", self.remote, "--leave-root")


def deploy(
    rclone: Rclone,
    folder: Path,
    changes: Changes,
    progress: Callable[[str], None] = lambda _line: None,
) -> None:
    """Upload in tiers (what pages name, pages, what names pages), then delete what is stale."""
    for n, name in enumerate(TIERS):
        chosen = [p for p in changes.uploads if tier(p) == n]
        if chosen:
            progress(f"uploading {len(chosen)} {name}")
            rclone.upload(folder, chosen)
    if changes.stale:
        progress(f"deleting {len(changes.stale)} stale files")
        rclone.delete(changes.stale)


def change_lines(changes: Changes, folder: Path) -> list[str]:
    """One line per file (its precompressed copies with it), in upload order, deletions last."""
    groups: dict[str, list[str]] = {}
    for path in changes.uploads:
        groups.setdefault(base_name(path), []).append(path)
    new = set(changes.new)
    lines = []
    for name in sorted(groups, key=lambda n: (tier(n), n)):
        paths = groups[name]
        size = sum((folder / p).stat().st_size for p in paths if (folder / p).is_file())
        copies = sorted(p[len(name) :] for p in paths if p != name)
        extra = f" (+ {', '.join(copies)})" if copies and name in paths else ""
        shown = name if name in paths else ", ".join(paths)
        kind = "new" if all(p in new for p in paths) else "changed"
        lines.append(f"  {kind:8} {shown}{extra}  {_size(size)}")
    stale: dict[str, list[str]] = {}
    for path in sorted(changes.stale):
        stale.setdefault(base_name(path), []).append(path)
    for name, paths in stale.items():
        copies = sorted(p[len(name) :] for p in paths if p != name)
        extra = f" (+ {', '.join(copies)})" if copies and name in paths else ""
        lines.append(f"  {'delete':8} {name if name in paths else ', '.join(paths)}{extra}")
    return lines


def _size(n: int) -> str:
    return (
        f"{n} B" if n < 1024 else f"{n / 1024:.1f} KB" if n < 1024**2 else f"{n / 1024**2:.1f} MB"
    )


def _last_lines(done: subprocess.CompletedProcess, n: int = 3) -> str:
    lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
    return " | ".join(lines[-n:]) or f"exit code {done.returncode}"


class _list_file:
    """A temporary file listing paths, one per line, for rclone's --files-from-raw."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = paths

    def __enter__(self) -> str:
        fd, self.name = tempfile.mkstemp(prefix="kp-rclone-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("".join(f"{p}\n" for p in self.paths))
        return self.name

    def __exit__(self, *exc) -> None:
        os.unlink(self.name)
