"""Safe YAML loading that remembers where every value stood, for file:line:col messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import InputError, Problem

Key = tuple  # a path into the document: ("partners", 3, "contacts", 0, "email")

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class _Loader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver: dates stay strings and are parsed by the schema."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Located:
    """A loaded YAML document plus the (line, col) of every key and value, 1-based."""

    data: object
    path: str
    keys: dict[Key, tuple[int, int]] = field(default_factory=dict)
    values: dict[Key, tuple[int, int]] = field(default_factory=dict)

    def at(self, where: Key, *, key: bool = False) -> tuple[int, int]:
        """The position of a value (or its key), falling back to the nearest enclosing one."""
        table = self.keys if key else self.values
        while True:
            if where in table:
                return table[where]
            if where in self.values:
                return self.values[where]
            if not where:
                return (1, 1)
            where = where[:-1]

    def problem(self, where: Key, message: str, *, key: bool = False) -> Problem:
        line, col = self.at(where, key=key)
        return Problem(self.path, line, col, dotted(where), message)


def dotted(where: Key) -> str:
    """("partners", 3, "email") -> "partners[3].email"."""
    out = ""
    for part in where:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 file strictly: a BOM or invalid bytes are reported, not guessed around."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raise InputError(
            Problem(
                shown,
                1,
                1,
                "",
                "the file starts with a byte-order mark (BOM) — save it as UTF-8 without BOM",
            )
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            Problem(
                shown,
                line,
                col,
                "",
                f"byte 0x{raw[exc.start]:02x} is not UTF-8 — save the file as UTF-8",
            )
        ) from None
    return text.replace("\r\n", "\n")


def load_yaml(text: str, path: str, line_offset: int = 0) -> Located:
    """Parse YAML safely; any error becomes an InputError at its line. line_offset shifts lines."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise InputError(_syntax_problem(exc, text, path, line_offset)) from None
    finally:
        loader.dispose()
    located = Located(None, path)
    problems: list[Problem] = []
    if node is None:
        located.data = {}
        return located
    located.data = _build(node, (), located, problems, line_offset, loader)
    if problems:
        raise InputError(problems)
    return located


def _pos(mark, line_offset: int) -> tuple[int, int]:
    return (mark.line + 1 + line_offset, mark.column + 1)


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str, offset: int) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = _pos(mark, offset) if mark else (1 + offset, 1)
    problem = (exc.problem or "invalid YAML").strip()
    if "\t" in problem or "'\\t'" in problem:
        message = "a tab character — indent YAML with spaces, never tabs"
    else:
        message = f"invalid YAML: {problem}"
        if exc.context and exc.context_mark and exc.context_mark is not mark:
            cl, cc = _pos(exc.context_mark, offset)
            message += f" ({exc.context} at line {cl}, column {cc})"
        if "mapping values are not allowed" in problem:
            message += " — put quotes around a value that contains ': '"
    return Problem(path, line, col, "", message)


def _build(node, where: Key, loc: Located, problems: list[Problem], offset: int, loader):
    loc.values[where] = _pos(node.start_mark, offset)
    if isinstance(node, yaml.ScalarNode):
        if node.tag not in _PLAIN_TAGS:
            problems.append(
                loc.problem(
                    where,
                    f"the YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')}"
                    " is not allowed — write a plain value",
                )
            )
            return None
        return loader.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            problems.append(
                loc.problem(where, f"the YAML tag {node.tag} is not allowed — write a plain list")
            )
            return None
        return [
            _build(child, where + (i,), loc, problems, offset, loader)
            for i, child in enumerate(node.value)
        ]
    if node.tag != "tag:yaml.org,2002:map":
        problems.append(
            loc.problem(where, f"the YAML tag {node.tag} is not allowed — write a plain mapping")
        )
        return None
    out: dict = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
            line, col = _pos(key_node.start_mark, offset)
            problems.append(Problem(loc.path, line, col, dotted(where), "keys must be plain words"))
            continue
        key = loader.construct_object(key_node)
        key = str(key) if not isinstance(key, str) else key
        child = where + (key,)
        if key in out:
            first = loc.keys[child][0]
            line, col = _pos(key_node.start_mark, offset)
            problems.append(
                Problem(
                    loc.path,
                    line,
                    col,
                    dotted(child),
                    f"duplicate key (first given on line {first}) — keep one",
                )
            )
            continue
        loc.keys[child] = _pos(key_node.start_mark, offset)
        out[key] = _build(value_node, child, loc, problems, offset, loader)
    return out
