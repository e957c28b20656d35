"""The exception hierarchy for users' mistakes: every problem carries file, line and column."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one input file, formatted as `path:line:col: field: message`."""

    path: str
    line: int = 0
    col: int = 0
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: {what}"


class KommunepartnerError(Exception):
    """Base class for errors the CLI turns into an exit code and a message."""

    exit_code = 1


def error_lines(exc: KommunepartnerError) -> list[str]:
    """What the command line prints for an error: one line per problem, then how many."""
    problems = getattr(exc, "problems", [])
    # A problem line starts with its file:line:col, so editors and terminals can jump there.
    lines = [str(p) for p in problems] or [f"error: {exc}"]
    if exc.exit_code == 2 and len(problems) > 1:
        lines.append(f"{len(problems)} problems; nothing was built or sent.")
    return lines


class InputError(KommunepartnerError):
    """Bad input: one or more problems, each with its location. Exit code 2."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = sorted(problems, key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(InputError):
    """A setting or the environment is missing or wrong (no file to point at)."""

    def __init__(self, message: str, where: str = "settings"):
        super().__init__(Problem(where, message=message))


class RunError(KommunepartnerError):
    """A run that started well but did not fully succeed (e.g. some mail not delivered). Exit 1."""


def shown_path(path) -> str:
    """How a file is named in messages: relative to the working folder when inside it."""
    absolute = os.path.abspath(path)
    rel = os.path.relpath(absolute)
    return absolute if rel.startswith("..") else rel


def _sort_key(p: Problem) -> tuple:
    return (p.path, p.line, p.col, p.field, p.message)


class Collector:
    """Gathers problems across a run so the editor can fix them all in one pass."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(
        self, path: str, line: int = 0, col: int = 0, field: str = "", message: str = ""
    ) -> None:
        self.problems.append(Problem(path, line, col, field, message))

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(list(dict.fromkeys(self.problems)))

    def __bool__(self) -> bool:
        return bool(self.problems)
