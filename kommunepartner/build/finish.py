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

from kommunepartner.base.errors import KommunepartnerError, RunError, error_lines

if TYPE_CHECKING:
    from kommunepartner.build.build import HandOver

SPEC = ".kp-finish.json"  # inside the unfinished folder; read and removed before anything else


def exec_finish(handed: HandOver, message: str, *, debug: bool = False) -> NoReturn:
    """Replace this process by `python -m kommunepartner.build.finish`, which ends the build.

    `message` is formatted with the build report's fields when the site is in place. The spec
    goes in a file inside the unfinished folder: a page list as an argument would pass Linux's
    128 KiB limit for one argument at about 3,500 briefs.
    """
    build = handed.unfinished
    try:
        report = handed.report
        spec = {
            "build": build.hand_over(),
            "index": [job.to_json() for job in handed.index],
            "message": message,
            "report": {
                **{k: v for k, v in vars(report).items() if k != "changes"},
                "output": str(report.output),
            },
            # Kept for the next build's report, once this one is swapped in.
            "state": {"path": str(report.changes.path), "data": report.changes.data}
            if report.changes
            else None,
            "started": time.monotonic() - report.seconds,
        }
        (build.tmp / SPEC).write_text(json.dumps(spec), encoding="utf-8")
        sys.stdout.flush()
        sys.stderr.flush()
        # -P: the package comes from the installed project (pip install -e .), never from a
        # folder of the same name in the current directory.
        argv = [sys.executable, "-P", "-m", "kommunepartner.build.finish", str(build.tmp / SPEC)]
        argv += ["--debug"] if debug else []
        os.execv(sys.executable, argv)
    except BaseException as exc:
        build.abandon()
        if isinstance(exc, OSError):
            message = f"the build could not start its last step (the search index): {exc}"
            raise RunError(message) from None
        raise


def finish(spec_file: Path) -> str:
    """Index, swap in, release the lock; the line to print. On failure the output is untouched."""
    # Imported here, inside main()'s handler: a Ctrl-C while Pagefind's bindings load (a good
    # part of a second on a busy machine) ends as "Aborted!", not as a traceback.
    from kommunepartner.build.changes import StateChanges
    from kommunepartner.build.outputdir import Unfinished
    from kommunepartner.outputs.searchindex import IndexJob

    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    build = Unfinished.taken_over(spec["build"])
    try:
        spec_file.unlink()
        for job in spec["index"]:
            IndexJob.from_json(job).run(build.tmp)
        files = sum(len(names) for _root, _dirs, names in os.walk(build.tmp))
    except BaseException:
        build.abandon()
        raise
    build.swap_in()
    if spec.get("state"):
        StateChanges(Path(spec["state"]["path"]), spec["state"]["data"], ()).remember()
    seconds = time.monotonic() - spec["started"]
    return spec["message"].format(**{**spec["report"], "files": files, "seconds": seconds})


def main(argv: list[str]) -> int:
    """Exit codes as the command line's: 0 done, 1 a failed run, 2 bad input; Ctrl-C is 1."""
    spec_file = Path(argv[1])
    debug = "--debug" in argv
    try:
        print(finish(spec_file))
    except KeyboardInterrupt:
        if debug:
            raise
        print("Aborted!", file=sys.stderr)  # as click says it during the rendering
        return 1
    except KommunepartnerError as exc:
        if debug:
            raise
        for line in error_lines(exc):
            print(line, file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
