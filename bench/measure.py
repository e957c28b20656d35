"""Timing whole processes: wall time and peak resident memory of one child, and summaries."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    """One run: wall-clock seconds, CPU seconds and peak resident set (the child and its children)."""

    seconds: float
    peak_mb: float
    cpu: float = 0.0  # user + system, every process of the run: steadier than wall time under load


@dataclass
class Series:
    """Every run of one tool on one task."""

    name: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def low(self) -> float:
        return min(s.seconds for s in self.samples)

    @property
    def high(self) -> float:
        return max(s.seconds for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return statistics.median(s.peak_mb for s in self.samples)


class RunFailed(RuntimeError):
    """A benchmarked command exited non-zero: its output is in the message."""


def run_process(
    cmd: Sequence[str | Path], *, cwd: Path | None = None, env: dict | None = None
) -> Sample:
    """Run cmd to completion; wait4 gives this child's own rusage, so runs do not mix."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stdout:
        proc.stdout.close()
    if proc.returncode != 0:
        text = output.decode("utf-8", "replace")[-3000:]
        raise RunFailed(f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n{text}")
    return Sample(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def alternate(
    runners: dict[str, Callable[[], Sample]],
    repeats: int,
    before: Callable[[], None] = lambda: None,
) -> dict[str, Series]:
    """Run each tool once per round, rotating the order every round, `repeats` rounds."""
    names = list(runners)
    series = {n: Series(n) for n in names}
    for round_ in range(repeats):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            before()
            series[name].samples.append(runners[name]())
    return series


def ratio(a: Series, b: Series) -> float:
    """Median of a over median of b."""
    return a.median / b.median
