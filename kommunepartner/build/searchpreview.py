"""Search indexing after a preview rebuild: off the critical path, swapped in when done.

A preview rebuild keeps the previous index (hard links) so search works at once, one edit
behind; this links the new pages out of the output once it is swapped in, indexes them in a thread and swaps `pagefind/` in whole when it is done,
unless a newer build has replaced the output meanwhile (then the work is dropped, and a running
Pagefind is stopped as soon as that newer build starts). Only full builds index before the swap.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from pagefind.service import get_executable

from kommunepartner.build.background import AfterSwap
from kommunepartner.build.outputdir import delete_aside, locked, replace_inside
from kommunepartner.outputs.searchindex import FOLDER, stage, write_config

log = logging.getLogger(__name__)


def link_tree(source: Path, target: Path) -> None:
    """Mirror `source` under `target` with hard links (copies where links are refused)."""
    files = [str(p.relative_to(source)) for p in source.rglob("*") if p.is_file()]
    target.mkdir(parents=True, exist_ok=True)
    stage(source, files, target)


class Indexing(AfterSwap):
    """One background Pagefind run for one build of one output folder."""

    def __init__(
        self, output: Path, build_id: str, files: Sequence[str], lang: str, site_path: str
    ) -> None:
        super().__init__(output, build_id, "search")
        self.files = list(files)
        self.site = self.workdir / "site" / site_path.strip("/")
        write_config(self.workdir, self.workdir / "site", self.workdir / FOLDER, lang)
        self.swapped = False

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
            if not self._child([str(exe)], "the search index", cwd=self.workdir):
                return
            self.swapped = replace_inside(
                self.output, FOLDER, self.workdir / FOLDER, self._still_current
            )
            log.debug("search index %s", "updated" if self.swapped else "dropped")
        finally:
            delete_aside(self.workdir)
