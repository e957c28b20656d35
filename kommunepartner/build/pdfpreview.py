"""PDFs after a preview rebuild: off the critical path, placed into the output when made.

A preview rebuild (`tasks.py serve`, after an edit) does not wait for WeasyPrint: a brief whose
PDF is not in the cache keeps the previous build's PDF for now (one edit behind, as search is),
and a child process makes the new one once the build is swapped in; it is put in place under
the output's lock, unless a newer build has replaced the output meanwhile (then the work is
dropped, and a running child is stopped as soon as that newer build starts). Only previews
defer: `tasks.py build` and a first build make every PDF before the output is swapped in.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from kommunepartner.build import incremental
from kommunepartner.build.background import AfterSwap
from kommunepartner.build.outputdir import delete_aside, locked
from kommunepartner.outputs.pdf import PdfCache, PdfJob, place, spec_of

log = logging.getLogger(__name__)


def defer(
    plan: incremental.Plan,
    build_id: str,
    jobs: Sequence[tuple[PdfJob, str]],
    cache: PdfCache,
    built: Path,
) -> None:
    """Give each missing PDF the previous build's file for now; make the new ones after the swap."""
    if not jobs:
        return
    for job, _key in jobs:
        previous = plan.output / job.target
        if previous.is_file():
            place(previous, built / job.target)
    plan.after_swap.append(PdfRendering(plan.output, build_id, jobs, cache, built))


class PdfRendering(AfterSwap):
    """One background run of `python -m kommunepartner.outputs.pdf` for one preview build."""

    def __init__(
        self,
        output: Path,
        build_id: str,
        jobs: Sequence[tuple[PdfJob, str]],
        cache: PdfCache,
        built: Path,
    ) -> None:
        super().__init__(output, build_id, "pdf")
        self.cache, self.jobs = cache, list(jobs)
        self.spec = self.workdir / "spec.json"
        self.spec.write_text(json.dumps(spec_of(self.jobs, cache, built, output)), encoding="utf-8")
        self.placed = False

    def _run(self) -> None:
        try:
            # -P: the package comes from the installed project, never from the cwd.
            argv = [sys.executable, "-P", "-m", "kommunepartner.outputs.pdf", str(self.spec)]
            if not self._child(argv, "the PDFs"):
                return
            with locked(self.output):
                if not self._still_current():
                    return
                for job, key in self.jobs:
                    if self.cache.has(key):
                        place(self.cache.path(key), self.output / job.target)
                self.placed = True
            log.debug("%d PDFs made after the preview rebuild", len(self.jobs))
        finally:
            delete_aside(self.workdir)
