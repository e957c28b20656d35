"""The last step of a command-line build, in a fresh process: the search index, then the swap.

`tasks.py build` renders the site into a folder beside the output and then `exec`s this module:
the same process id and terminal, but none of the rendering's memory (about 115 MB for 1,000
briefs), so Pagefind (175 MB there) never runs beside it. The output's lock is an open file
that survives `exec`; this process releases it when the site is swapped in or thrown away.
Preview servers and in-process callers use `build()` and index before the swap themselves.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from plugins.core.errors import KommunepartnerError, error_lines
from plugins.core.searchindex import IndexJob
from plugins.site.outputdir import Unfinished

if TYPE_CHECKING:
    from plugins.site.build import HandOver

ROOT = Path(__file__).resolve().parents[2]


def exec_finish(handed: HandOver, message: str) -> NoReturn:
    """Replace this process by `python -m plugins.site.finish`, which ends the build.

    `message` is formatted with the build report's fields when the site is in place.
    """
    report = handed.report
    spec = {
        "build": handed.unfinished.hand_over(),
        "index": [job.to_json() for job in handed.index],
        "message": message,
        "report": {**vars(report), "output": str(report.output)},
        "started": time.monotonic() - report.seconds,
    }
    sys.stdout.flush()
    sys.stderr.flush()
    path = os.environ.get("PYTHONPATH")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), path]))}
    argv = [sys.executable, "-m", "plugins.site.finish", json.dumps(spec)]
    os.execve(sys.executable, argv, env)


def finish(spec: dict) -> str:
    """Index, swap in, release the lock; the line to print. On failure the output is untouched."""
    build = Unfinished.taken_over(spec["build"])
    try:
        for job in spec["index"]:
            IndexJob.from_json(job).run(build.tmp)
        files = sum(len(names) for _root, _dirs, names in os.walk(build.tmp))
    except BaseException:
        build.abandon()
        raise
    build.swap_in()
    seconds = time.monotonic() - spec["started"]
    return spec["message"].format(**{**spec["report"], "files": files, "seconds": seconds})


def main(argv: list[str]) -> int:
    try:
        print(finish(json.loads(argv[1])))
    except KommunepartnerError as exc:
        for line in error_lines(exc):
            print(line, file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
