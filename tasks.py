#!/usr/bin/env python3
"""Kommunepartner's command line: `./tasks.py --help` lists every command.

Runs in any shell: started by a Python outside a virtual environment (`./tasks.py …`,
`python3 tasks.py …`), it runs itself again under the project's .venv, which `make serve` and
`make test` set up. Inside a virtual environment it runs as it is. The commands live in
kommunepartner/cli/.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

VENV = Path(__file__).resolve().parent / ".venv"


if __name__ == "__main__" and sys.prefix == sys.base_prefix:  # not in a virtual environment
    python = VENV / "bin" / "python"
    if not python.is_file():
        sys.stderr.write(
            "tasks.py: the project's environment .venv is not set up yet"
            " — run `make serve` or `make test` first (they install everything)\n"
        )
        sys.exit(2)
    os.execv(python, [str(python), *sys.argv])

from kommunepartner.cli import main  # noqa: E402

if __name__ == "__main__":
    main(obj={"program": True})
