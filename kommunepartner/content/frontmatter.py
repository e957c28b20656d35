"""One content file's front matter: split it from the body, check it against its schema."""

from __future__ import annotations

from datetime import datetime

from kommunepartner.base import schema as s
from kommunepartner.base.errors import Collector, InputError, Problem
from kommunepartner.base.yamlfile import REJECTED, Located

OPENING = "a line '---', the fields, and another '---'"


def split_front_matter(text: str, path: str) -> tuple[str, str, int]:
    """Return (yaml, body, body_line). The file must open with a `---` line and close it."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise InputError(
            Problem(path, 1, 1, "", f"the file must start with a front-matter block: {OPENING}")
        )
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    raise InputError(
        Problem(
            path,
            1,
            1,
            "",
            "the front-matter block is never closed — add a line '---' after the last field",
        )
    )


EXAMPLES = {
    "title": ' — e.g. title: "Havvind og kommunane"',
    "date": " — e.g. date: 2026-03-01",
    "summary": " — one or two sentences shown in lists, feeds and the teaser",
    "start": " — e.g. start: 2026-03-01 10:00",
    "newsletter": " — e.g. newsletter: perspektiv",
    "number": " — e.g. number: 4",
    "series": " — e.g. series: tenk-nytt",
    "format": " — e.g. format: digital (or fysisk, hybrid)",
}


def validate(
    located: Located, schema: s.Schema, section: str, problems: Collector | None = None
) -> dict:
    """Check every field against the schema; all problems of the file in one InputError."""
    problems = Collector() if problems is None else problems
    problems.extend(located.problems)
    data: dict = located.data  # type: ignore[assignment]
    clean: dict = {}
    for key, value in data.items():
        f = schema.fields.get(key)
        if f is None:
            hint = s.did_you_mean(key, schema.fields) or (
                f" — {_a(schema.name)} takes {', '.join(schema.fields)}"
            )
            problems.extend([located.problem((key,), f"unknown field{hint}", key=True)])
        elif value is REJECTED:
            continue  # already reported by the YAML loader
        elif value is None:
            fix = EXAMPLES.get(key, "") if f.required else " — give one or delete the line"
            problems.extend([located.problem((key,), f"has no value{fix}", key=True)])
        else:
            try:
                clean[key] = f.check(value)
            except s.Invalid as exc:
                problems.extend([located.problem((key, *at), msg) for at, msg in exc.each()])
    misspelt = s.misspelt(data, schema.fields)  # 'titel' is reported once, as a misspelling
    for key, f in schema.fields.items():
        if f.required and key not in data and key not in misspelt:
            message = f"is required for {_a(schema.name)}{EXAMPLES.get(key, '')}"
            problems.add(located.path, 1, 1, key, message)
    cross_field(located, clean, section, problems)
    problems.raise_if_any()
    return clean


def _a(name: str) -> str:
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def cross_field(located: Located, meta: dict, section: str, problems: Collector) -> None:
    """Rules that relate two fields of one item (`meta` holds the fields that were valid)."""
    given = located.data  # a field given but invalid is already reported: no second message
    if section == "events":
        _event_rules(located, meta, given, problems)
    access = meta.get("access")
    if meta.get("public_after") is not None and access == "public":
        problems.extend(
            [
                located.problem(
                    ("public_after",),
                    "only applies to partners-only items — delete it, or set access: partners",
                )
            ]
        )
    after, published = meta.get("public_after"), meta.get("date")
    if isinstance(published, datetime) and _is_date(after) and after < published.date():
        problems.extend(
            [
                located.problem(
                    ("public_after",),
                    f"{after} is before the item's date ({published:%Y-%m-%d})"
                    " — give a later date, or a duration such as '180 days'",
                )
            ]
        )
    if access == "partners" and "summary" not in given and section != "pages":
        problems.add(
            located.path,
            *located.at(("access",)),
            "summary",
            "is required for a partners-only item: it is the public teaser",
        )
    if "image" in meta and "image_alt" not in given:
        problems.extend(
            [located.problem(("image",), "needs image_alt: a short description of the image")]
        )


def _is_date(v: object) -> bool:
    return hasattr(v, "year") and not isinstance(v, datetime)


def _event_rules(located: Located, meta: dict, given: dict, problems: Collector) -> None:
    start, end = meta.get("start"), meta.get("end")
    if start and end and end <= start:
        problems.extend(
            [
                located.problem(
                    ("end",),
                    f"{end:%Y-%m-%d %H:%M} is not after start ({start:%Y-%m-%d %H:%M})"
                    " — the event must end after it starts",
                )
            ]
        )
    reg = meta.get("registration")
    deadline = (reg or {}).get("deadline")
    if start and deadline and deadline > start:
        problems.extend(
            [
                located.problem(
                    ("registration", "deadline"),
                    f"is after the start ({start:%Y-%m-%d %H:%M}) — set a deadline before it",
                )
            ]
        )
    if reg is not None and not ({"url", "email"} & reg.keys()):
        problems.extend(
            [
                located.problem(
                    ("registration",),
                    "needs url or email, e.g. registration: {url: https://example.org/pamelding}",
                )
            ]
        )
    fmt = meta.get("format")
    if fmt in ("fysisk", "hybrid") and "location" not in given:
        problems.add(
            located.path,
            *located.at(("format",)),
            "location",
            f"is required for a {fmt} event — e.g. location: {{name: Bergen rådhus,"
            " address: Rådhusgaten 10, 5014 Bergen}",
        )
    if fmt == "fysisk" and "online_url" in meta:
        problems.extend(
            [
                located.problem(
                    ("online_url",),
                    "a physical event has no online link — delete it, or set format: hybrid",
                )
            ]
        )
