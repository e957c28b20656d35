"""Safe YAML loading that remembers where every value stood, for file:line:col messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kommunepartner.base.errors import InputError, Problem

Key = tuple  # a path into the document: ("partners", 3, "contacts", 0, "email")

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 plain scalars: dates stay strings and are parsed by the schema.

    YAML 1.1 would read `lang: no` as false, `10:00` as the number 600 and `0460` as octal;
    here only true/false are booleans and only plain decimals are numbers.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag.rsplit(":", 1)[1] in ("null", "merge")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789"),
)


class _Rejected:
    """Stands in for a value already reported (a forbidden tag, an alias), so no second message."""

    def __repr__(self) -> str:
        return "REJECTED"


REJECTED = _Rejected()


@dataclass
class Located:
    """A loaded YAML document plus the (line, col) of every key and value, 1-based."""

    data: object
    path: str
    keys: dict[Key, tuple[int, int]] = field(default_factory=dict)
    values: dict[Key, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # structural ones, when keep_going

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
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(
            Problem(shown, 1, 1, "", f"cannot be read ({reason}) — make it a readable file")
        ) from None
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


# libyaml accepts a few things PyYAML rejects (a trailing tab, `[1?]`) and places empty values
# elsewhere, so it only reads front matter made of plain lines: `key: value`, `- item`,
# "quoted" text, [flow, lists] and {flow: maps} without YAML's special characters.
_WORD = r"[^\s\"'#&*!|>?%@`{}\[\],:\\][^\t\"'#&*!|>?%`{}\[\],\\]*"
_VALUE = rf'(?:"[^"\\\t]*"|{_WORD}|\[(?:{_WORD}(?:, {_WORD})*)?\]|\{{[^\t{{}}\[\]#&*!|>?%`\\]*\}})'
_PLAIN_LINE = re.compile(rf"(?: *(?:- )*[A-Za-z_]\w*:(?: {_VALUE})?| *- {_VALUE}| *)$")


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same rules on libyaml (about 7x faster on front matter; bench/ measures it)."""


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers  # shared, never diverge


def _compose(text: str):
    """(loader, node) from libyaml; on any YAML error the pure-Python loader raises its own."""
    if all(_PLAIN_LINE.match(line) for line in text.split("\n")):
        try:
            loader = _FastLoader(text)
            node = loader.get_single_node()
            if not _has_empty_scalar(node):  # libyaml places empty values elsewhere
                return loader, node
        except yaml.YAMLError:
            pass
    loader = _Loader(text)  # the reference: its error messages are the ones we explain
    return loader, loader.get_single_node()


def _has_empty_scalar(node) -> bool:
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.ScalarNode):
            if n.value == "" and not n.style:
                return True
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        else:
            stack.extend(x for pair in n.value for x in pair)
    return False


def load_yaml(text: str, path: str, line_offset: int = 0, *, keep_going: bool = False) -> Located:
    """Parse YAML safely; any error becomes an InputError at its line. line_offset shifts lines.

    With keep_going, forbidden tags, aliases and duplicate keys are left in `located.problems`
    (the value becomes REJECTED) so the caller can validate the rest and report everything.
    """
    try:
        loader, node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        raise InputError(_syntax_problem(exc, path, line_offset)) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 + line_offset
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise InputError(
            Problem(
                path,
                line,
                col,
                "",
                f"the invisible control character U+{exc.character:04X} is not allowed — delete it",
            )
        ) from None
    loader.dispose()
    located = Located(None, path)
    if node is None:
        located.data = {}
        return located
    located.data = _build(node, (), located, line_offset, loader, set())
    if located.problems and not keep_going:
        raise InputError(located.problems)
    return located


def _pos(mark, line_offset: int) -> tuple[int, int]:
    return (mark.line + 1 + line_offset, mark.column + 1)


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str, offset: int) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    problem = (exc.problem or "invalid YAML").strip()
    context = exc.context or ""
    if "\t" in problem or "'\\t'" in problem:
        line, col = _pos(mark, offset)
        return Problem(path, line, col, "", "a tab character — indent YAML with spaces, never tabs")
    if "mapping values are not allowed" in problem:
        line, col = _pos(mark, offset)
        return Problem(
            path,
            line,
            col,
            "",
            "a ': ' inside a value — put the whole value in quotes,"
            ' e.g. title: "Havvind: kva no?"',
        )
    if ("end of stream" in problem or "stream end" in problem) and exc.context_mark:
        # Something opened here runs to the end: point at where it was opened.
        mark = exc.context_mark
        message = f"invalid YAML: {_opened(context)} is never closed"
    else:
        message = f"invalid YAML: {problem}"
        if context and exc.context_mark and exc.context_mark is not mark:
            cl, cc = _pos(exc.context_mark, offset)
            message += f" ({context} at line {cl}, column {cc})"
    message += _hint(problem, context)
    line, col = _pos(mark, offset) if mark else (1 + offset, 1)
    return Problem(path, line, col, "", message)


def _opened(context: str) -> str:
    for what, name in _OPENED.items():
        if what in context:
            return name
    return context.replace("while ", "")


_OPENED = {
    "quoted scalar": "the quoted text that starts here",
    "flow sequence": "the list that starts here with '['",
    "flow mapping": "the mapping that starts here with '{'",
    "flow node": "the list or mapping that starts here",
}


def _hint(problem: str, context: str) -> str:
    """What would be valid, for the YAML mistakes editors make most."""
    if "flow sequence" in context:
        return " — close the list with ']' on the same line"
    if "flow mapping" in context:
        return " — close the mapping with '}' on the same line"
    if "quoted scalar" in context:
        return ' — close the quotes, or write \\" for a quote inside'
    if "expected <block end>" in problem or "could not find expected ':'" in problem:
        return " — each line is 'field: value', indented like the lines around it"
    return " — check the quotes and indentation on this line"


_KINDS = {
    yaml.ScalarNode: ("value", _PLAIN_TAGS),
    yaml.SequenceNode: ("list", {"tag:yaml.org,2002:seq"}),
    yaml.MappingNode: ("mapping", {"tag:yaml.org,2002:map"}),
}


def _build(node, where: Key, loc: Located, offset: int, loader, seen: set[int]):
    loc.values.setdefault(where, _pos(node.start_mark, offset))
    if id(node) in seen:
        loc.problems.append(
            loc.problem(
                where, "aliases (*name) are not allowed — write the value out in full", key=True
            )
        )
        return REJECTED
    seen.add(id(node))
    kind, plain = _KINDS[type(node)]
    if node.tag not in plain:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        loc.problems.append(
            loc.problem(
                where, f"the YAML tag {tag} is not allowed — delete it, write a plain {kind}"
            )
        )
        return REJECTED
    if kind == "value":
        return loader.construct_object(node, deep=True)
    if kind == "list":
        return [
            _build(child, where + (i,), loc, offset, loader, seen)
            for i, child in enumerate(node.value)
        ]
    out: dict = {}
    for key_node, value_node in node.value:
        line, col = _pos(key_node.start_mark, offset)
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
            loc.problems.append(
                Problem(loc.path, line, col, dotted(where), "keys must be plain words")
            )
            continue
        key = loader.construct_object(key_node)
        key = str(key) if not isinstance(key, str) else key
        child = where + (key,)
        if key in out:
            first = loc.keys[child][0]
            loc.problems.append(
                Problem(
                    loc.path,
                    line,
                    col,
                    dotted(child),
                    f"duplicate key (first given on line {first}) — keep one of them",
                )
            )
            continue
        loc.keys[child] = (line, col)
        if id(value_node) in seen:  # an alias: report it where it is used
            loc.values[child] = (line, col)
        out[key] = _build(value_node, child, loc, offset, loader, seen)
    return out
