"""Timing whole processes: wall time, CPU and peak memory of a process tree, and summaries.

`tree_mb` is the memory of the whole tree at its highest, sampled from /proc every few
milliseconds: each process's private pages plus, once, the largest shared part (so pages a fork
shares with its parent count once). `root_mb` is the started process alone. Not `ru_maxrss`:
that is the largest single process (for our build Pagefind's, while Python waits beside it),
and for a forked child it can include the parent's size from before `exec`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    """One run: wall-clock seconds, CPU seconds, and peak memory of the tree and of its root."""

    seconds: float
    cpu: float  # user + system, every process of the run: steadier than wall time under load
    tree_mb: float  # the whole process tree at its highest (see the module docstring)
    root_mb: float  # the started process alone, without its children, at its highest


@dataclass
class Series:
    """Every run of one tool on one task: medians (and the range of times) over its samples."""

    name: str
    samples: list[Sample] = field(default_factory=list)

    def _median(self, name: str) -> float:
        return statistics.median(getattr(s, name) for s in self.samples)

    median = property(lambda self: self._median("seconds"))
    cpu = property(lambda self: self._median("cpu"))
    tree_mb = property(lambda self: self._median("tree_mb"))
    root_mb = property(lambda self: self._median("root_mb"))
    low = property(lambda self: min(s.seconds for s in self.samples))
    high = property(lambda self: max(s.seconds for s in self.samples))


class RunFailed(RuntimeError):
    """A benchmarked command exited non-zero: its output is in the message."""


def _descendants(pid: int) -> list[int]:
    """pid and every process below it, from /proc/<pid>/task/*/children."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:  # it ended between two reads
            continue
    return found


def _private_shared_kb(pid: int) -> tuple[int, int]:
    fields = dict.fromkeys(
        ("Private_Clean:", "Private_Dirty:", "Shared_Clean:", "Shared_Dirty:"), 0
    )
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                name, _, rest = line.partition(" ")
                if name in fields:
                    fields[name] = int(rest.split()[0])
    except OSError:
        pass
    private = fields["Private_Clean:"] + fields["Private_Dirty:"]
    return private, fields["Shared_Clean:"] + fields["Shared_Dirty:"]


def tree_kb(pid: int) -> tuple[int, int]:
    """(the tree, the root alone) now: private pages plus the largest shared part once."""
    parts = [_private_shared_kb(p) for p in _descendants(pid)]
    return sum(p for p, _ in parts) + max((s for _, s in parts), default=0), sum(parts[0])


class TreeSampler(threading.Thread):
    """Samples tree_kb(pid) every `every` seconds until stopped; keeps the highest of each."""

    def __init__(self, pid: int, every: float = 0.01) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_kb, self.root_kb = pid, every, 0, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            tree, root = tree_kb(self.pid)
            self.peak_kb, self.root_kb = max(self.peak_kb, tree), max(self.root_kb, root)
            self._stop_event.wait(self.every)

    def stop(self) -> tuple[float, float]:
        """Stop sampling; the peaks in MB: (the tree, the root process alone)."""
        self._stop_event.set()
        self.join()
        return self.peak_kb / 1024, self.root_kb / 1024


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
    sampler = TreeSampler(proc.pid)
    sampler.start()
    output = proc.stdout.read() if proc.stdout else b""
    # The sampler stops before the child is reaped: its /proc entry stays readable until then.
    tree_mb, root_mb = sampler.stop()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stdout:
        proc.stdout.close()
    if proc.returncode != 0:
        text = output.decode("utf-8", "replace")[-3000:]
        raise RunFailed(f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n{text}")
    return Sample(seconds, usage.ru_utime + usage.ru_stime, tree_mb, root_mb)


def alternate(
    runners: dict[str, Callable[[], Sample]],
    repeats: int,
    before: Callable[[str], None] = lambda name: None,
) -> dict[str, Series]:
    """Run each tool once per round, rotating the order every round, `repeats` rounds."""
    names = list(runners)
    series = {n: Series(n) for n in names}
    for round_ in range(repeats):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            before(name)
            series[name].samples.append(runners[name]())
    return series


def ratio(a: Series, b: Series) -> float:
    """Median of a over median of b."""
    return a.median / b.median
