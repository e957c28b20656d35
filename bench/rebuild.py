"""Child process: one cold build, then rebuilds after editing one brief, as a preview server does.

`python bench/rebuild.py ours|pelican CONTENT PARTNERS_OR_CONF OUTPUT REPEATS` prints one JSON
line: {"cold": seconds, "rebuilds": [seconds, ...], "peak_mb": MB}. Both tools stay in one
process between builds (ours: `tasks.py serve`'s rebuild; Pelican: `--autoreload` with its
content cache), so only the rebuild itself is timed.
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import time
from pathlib import Path

from bench.corpus import NOW

ROOT = Path(__file__).resolve().parents[1]

EDIT = "\n\nEit nytt avsnitt frå redaktøren, runde {n}: kommunen vurderer tiltaket på nytt.\n"


def edit_one_brief(content: Path, n: int) -> Path:
    """Append a paragraph to one brief's body (a different brief each round); the file is valid."""
    briefs = sorted((content / "briefs").glob("*.md"))
    path = briefs[(n * 37) % len(briefs)]
    with path.open("a", encoding="utf-8") as f:
        f.write(EDIT.format(n=n))
    return path


def ours(content: Path, partners: Path, output: Path):
    from kommunepartner.build.build import build
    from kommunepartner.build.settings import Options

    options = Options(
        settings=ROOT / "bench" / "nopdf.py",  # no PDFs: like with like (see bench/nopdf.py)
        content=content,
        partners=partners,
        output=output,
        state=output.parent / "state",
        now=NOW,
    )
    return lambda: build(options)


def pelican(content: Path, conf: Path, output: Path):
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(str(conf), override={"OUTPUT_PATH": str(output), "PATH": str(content)})
    instance = Pelican(settings)
    return instance.run


def main(argv: list[str]) -> None:
    tool, content, extra, output, repeats = argv[1:6]
    logging.getLogger("pelican").setLevel(logging.CRITICAL)
    from pelican.log import console

    console.quiet = True
    make = ours if tool == "ours" else pelican
    build = make(Path(content), Path(extra), Path(output))
    started = time.perf_counter()
    build()
    cold = time.perf_counter() - started
    rebuilds = []
    for n in range(int(repeats)):
        edit_one_brief(Path(content), n)
        started = time.perf_counter()
        build()
        rebuilds.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"cold": cold, "rebuilds": rebuilds, "peak_mb": peak}))


if __name__ == "__main__":
    main(sys.argv)
