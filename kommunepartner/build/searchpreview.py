"""Search indexing after a preview rebuild: off the critical path, swapped in when done.

A preview rebuild keeps the previous index (hard links) so search works at once, one edit
behind; this links the new pages out of the output once it is swapped in, indexes them in a thread and swaps `pagefind/` in whole when it is done,
unless a newer build has replaced the output meanwhile (then the work is dropped, and a running
Pagefind is stopped as soon as that newer build starts). Only full builds index before the swap.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from pagefind.service import get_executable

from kommunepartner.build import incremental
from kommunepartner.build.outputdir import delete_aside, locked, replace_inside
from kommunepartner.outputs.searchindex import FOLDER, stage, write_config

log = logging.getLogger(__name__)


def link_tree(source: Path, target: Path) -> None:
    """Mirror `source` under `target` with hard links (copies where links are refused)."""
    files = [str(p.relative_to(source)) for p in source.rglob("*") if p.is_file()]
    target.mkdir(parents=True, exist_ok=True)
    stage(source, files, target)


class Indexing:
    """One background Pagefind run for one build of one output folder."""

    def __init__(
        self, output: Path, build_id: str, files: Sequence[str], lang: str, site_path: str
    ) -> None:
        self.output, self.build_id, self.files = output, build_id, list(files)
        # Beside the output, not in /tmp: the new index is renamed into the output, and a rename
        # cannot cross file systems (/tmp is often tmpfs). The prefix is the build's own, so a
        # killed server's leftovers are removed by the next build (outputdir._clean_leftovers).
        self.workdir = Path(
            tempfile.mkdtemp(prefix=f".build-{output.name}-search-", dir=output.parent)
        )
        self.site = self.workdir / "site" / site_path.strip("/")
        write_config(self.workdir, self.workdir / "site", self.workdir / FOLDER, lang)
        self._proc: subprocess.Popen | None = None
        self._cancelled = threading.Event()
        self._lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, name="kp-search-index")
        self.swapped = False

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        """A newer build started: stop Pagefind, drop the work."""
        self._cancelled.set()
        if not self.thread.is_alive() and self.thread.ident is None:  # never started
            shutil.rmtree(self.workdir, ignore_errors=True)
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                self._proc.terminate()

    def wait(self) -> None:
        if self.thread.ident is not None:
            self.thread.join()

    def _stage(self) -> bool:
        """Link the pages to index out of the output just swapped in, unless it is replaced."""
        with locked(self.output):
            if not self._still_current():
                return False
            # A newer build waits for this lock: stop as soon as it cancels this one.
            return stage(self.output, self.files, self.site, self._cancelled.is_set)

    def _run(self) -> None:
        try:
            exe = get_executable()
            if exe is None or not self._stage():
                return
            with self._lock:
                if self._cancelled.is_set():
                    return
                self._proc = subprocess.Popen(
                    [str(exe)],
                    cwd=self.workdir,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            out, _ = self._proc.communicate()
            if self._cancelled.is_set():
                return
            if self._proc.returncode != 0:
                log.warning("the search index was not updated: %s", out)
                return
            self.swapped = replace_inside(
                self.output, FOLDER, self.workdir / FOLDER, self._still_current
            )
            log.debug("search index %s", "updated" if self.swapped else "dropped")
        finally:
            delete_aside(self.workdir)

    def _still_current(self) -> bool:
        latest = incremental.current(self.output)
        return (
            not self._cancelled.is_set()
            and latest is not None
            and (latest.build_id == self.build_id)
        )
