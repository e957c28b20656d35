"""Work a preview rebuild leaves until after its swap: one child process per build, stopped
when a newer build starts, its result put in place only while its build is the current one."""

from __future__ import annotations

import logging
import subprocess
import tempfile
import threading
from pathlib import Path

from kommunepartner.build import incremental
from kommunepartner.build.outputdir import delete_aside

log = logging.getLogger(__name__)


class AfterSwap:
    """One build's background work in `workdir` (beside the output, deleted when done).

    Subclasses write `_run`, run their child with `_child` and check `_still_current()`
    under the output's lock before they touch the output.
    """

    def __init__(self, output: Path, build_id: str, name: str) -> None:
        self.output, self.build_id = output, build_id
        # Beside the output, not in /tmp: results are renamed into the output, and a rename
        # cannot cross file systems (/tmp is often tmpfs). The prefix is the build's own, so a
        # killed server's leftovers are removed by the next build (outputdir._clean_leftovers).
        self.workdir = Path(
            tempfile.mkdtemp(prefix=f".build-{output.name}-{name}-", dir=output.parent)
        )
        self._proc: subprocess.Popen | None = None
        self._cancelled = threading.Event()
        self._lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, name=f"kp-{name}")

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        """A newer build started: stop the child, drop the work."""
        self._cancelled.set()
        if not self.thread.is_alive() and self.thread.ident is None:  # never started
            delete_aside(self.workdir)
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                self._proc.terminate()

    def wait(self) -> None:
        if self.thread.ident is not None:
            self.thread.join()

    def _run(self) -> None:
        raise NotImplementedError

    def _child(self, argv: list[str], what: str, **popen) -> bool:
        """Run the child to its end; True when it succeeded and the work is still wanted."""
        with self._lock:
            if self._cancelled.is_set():
                return False
            self._proc = subprocess.Popen(
                argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen
            )
        out, _ = self._proc.communicate()
        if self._cancelled.is_set():
            return False
        if self._proc.returncode != 0:
            log.warning("%s was not updated: %s", what, out)
            return False
        return True

    def _still_current(self) -> bool:
        latest = incremental.current(self.output)
        return (
            not self._cancelled.is_set()
            and latest is not None
            and (latest.build_id == self.build_id)
        )
