"""Content files: Markdown with YAML front matter, one schema per section, all problems collected."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from . import schema as s
from .errors import Collector, InputError, Problem, shown_path
from .yamlfile import Located, dotted, load_yaml, read_text

SECTIONS = ("briefs", "newsletters", "events", "pages")
LANGS = ("nb", "nn")
EVENT_SERIES = ("tenk-nytt", "partnertreff", "erfaringsdeling", "webinar", "konferanse")
NEWSLETTERS = ("perspektiv",)


def _mapping(fields: dict[str, s.Field], name: str):
    """A nested mapping (location, registration): checks its own fields, reports the first problem."""

    def check(v: object) -> dict:
        if not isinstance(v, dict):
            raise s.Invalid(f"must be a mapping with {', '.join(fields)}")
        out = {}
        for key, value in v.items():
            if key not in fields:
                raise s.Invalid(
                    f"unknown field '{key}'{s.did_you_mean(key, fields)}"
                    f" — {name} takes {', '.join(fields)}"
                )
            try:
                out[key] = fields[key].check(value)
            except s.Invalid as exc:
                raise s.Invalid(f"{key}: {exc}") from None
        missing = [k for k, f in fields.items() if f.required and k not in out]
        if missing:
            raise s.Invalid(f"{name} needs {', '.join(missing)}")
        return out

    return check


_COMMON = {
    "title": s.Field(s.text(200), required=True),
    "slug": s.Field(s.slug),
    "status": s.Field(s.one_of("published", "draft")),
    "lang": s.Field(s.one_of(*LANGS)),
    "summary": s.Field(s.text(600)),
    "access": s.Field(s.one_of("public", "partners")),
    "public_after": s.Field(s.date_or_duration),
    "translation_of": s.Field(s.slug),
}

_LOCATION = {"name": s.Field(s.text(200), required=True), "address": s.Field(s.text(300))}
_REGISTRATION = {
    "url": s.Field(s.url),
    "email": s.Field(s.email),
    "deadline": s.Field(s.a_datetime),
}

SCHEMAS: dict[str, s.Schema] = {
    "briefs": s.Schema(
        "brief",
        {
            **_COMMON,
            "date": s.Field(s.a_datetime, required=True),
            "summary": s.Field(s.text(600), required=True),
            "authors": s.Field(s.list_of(s.text(120))),
            "topics": s.Field(s.list_of(s.keyword)),
            "series": s.Field(s.one_of("policy-brief", "temanotat")),
            "number": s.Field(s.integer(1)),
            "kommuner": s.Field(s.list_of(s.kommunenummer)),
            "fylker": s.Field(s.list_of(s.fylke)),
            "image": s.Field(s.text(300)),
            "image_alt": s.Field(s.text(300)),
        },
    ),
    "newsletters": s.Schema(
        "newsletter issue",
        {
            **_COMMON,
            "date": s.Field(s.a_datetime, required=True),
            "newsletter": s.Field(s.one_of(*NEWSLETTERS), required=True),
            "number": s.Field(s.integer(1), required=True),
            "preheader": s.Field(s.text(150)),
            "features": s.Field(s.list_of(s.slug)),
        },
    ),
    "events": s.Schema(
        "event",
        {
            **_COMMON,
            "start": s.Field(s.a_datetime, required=True),
            "end": s.Field(s.a_datetime),
            "series": s.Field(s.one_of(*EVENT_SERIES), required=True),
            "format": s.Field(s.one_of("digital", "fysisk", "hybrid"), required=True),
            "location": s.Field(_mapping(_LOCATION, "location")),
            "online_url": s.Field(s.url),
            "registration": s.Field(_mapping(_REGISTRATION, "registration")),
            "capacity": s.Field(s.integer(1)),
            "topics": s.Field(s.list_of(s.keyword)),
            "date": s.Field(s.a_datetime),
        },
    ),
    "pages": s.Schema(
        "page",
        {
            "title": _COMMON["title"],
            "slug": _COMMON["slug"],
            "status": _COMMON["status"],
            "lang": _COMMON["lang"],
            "summary": _COMMON["summary"],
            "translation_of": _COMMON["translation_of"],
            "template": s.Field(s.slug),
            "order": s.Field(s.integer(0)),
        },
    ),
}


@dataclass
class Item:
    """One content file after validation: its section, slug, clean metadata and Markdown body."""

    section: str
    path: str  # as shown to the editor, relative to the project
    slug: str
    meta: dict
    body: str
    body_line: int  # the file line where the Markdown body starts
    lang: str = "nn"
    source: str = ""  # the absolute path of the file

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def status(self) -> str:
        return self.meta.get("status", "published")

    @property
    def date(self) -> datetime | None:
        """Publication date: `date`, or for events `start` when no `date` is given."""
        return self.meta.get("date") or self.meta.get("start")

    @property
    def summary_text(self) -> str:
        return self.meta.get("summary", "")

    @property
    def key(self) -> str:
        """A stable id for the item across builds: section/slug."""
        return f"{self.section}/{self.slug}"


def split_front_matter(text: str, path: str) -> tuple[str, str, int]:
    """Return (yaml, body, body_line). The file must open with a `---` line and close it."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise InputError(
            Problem(
                path,
                1,
                1,
                "",
                "the file must start with a front-matter block:"
                " a line '---', the fields, and another '---'",
            )
        )
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    raise InputError(
        Problem(
            path,
            len(lines),
            1,
            "",
            "the front-matter block is never closed — add a line '---' after the last field",
        )
    )


def section_of(path: Path, content_dir: Path) -> str | None:
    rel = path.relative_to(content_dir)
    return rel.parts[0] if len(rel.parts) > 1 and rel.parts[0] in SECTIONS else None


def parse_item(path: Path, content_dir: Path, shown: str, default_lang: str = "nn") -> Item:
    """Read and validate one content file; raise InputError listing every problem in it."""
    section = section_of(path, content_dir)
    if section is None:
        raise InputError(
            Problem(shown, message=f"content files belong in one of {', '.join(SECTIONS)}/")
        )
    text = read_text(path, shown)
    fm, body, body_line = split_front_matter(text, shown)
    located = load_yaml(fm, shown, line_offset=1)
    if not isinstance(located.data, dict):
        raise InputError(
            Problem(shown, 2, 1, "", "the front matter must be fields like 'title: …'")
        )
    meta = validate(located, SCHEMAS[section], section)
    stem = path.stem
    slug = meta.get("slug") or stem
    if "slug" not in meta:
        try:
            s.slug(stem)
        except s.Invalid:
            raise InputError(
                Problem(
                    shown,
                    message=f"the file name '{path.name}' is not a valid slug — "
                    "rename it with lower-case a–z, digits and hyphens, or set 'slug:'",
                )
            ) from None
    return Item(
        section, shown, slug, meta, body, body_line, meta.get("lang", default_lang), str(path)
    )


def validate(located: Located, schema: s.Schema, section: str) -> dict:
    """Check every field against the schema; all problems in one InputError."""
    problems = Collector()
    data: dict = located.data  # type: ignore[assignment]
    clean: dict = {}
    for key, value in data.items():
        f = schema.fields.get(key)
        if f is None:
            hint = s.did_you_mean(key, schema.fields)
            problems.extend(
                [
                    located.problem(
                        (key,),
                        f"unknown field{hint or ' — a ' + schema.name + ' takes ' + ', '.join(schema.fields)}",
                        key=True,
                    )
                ]
            )
            continue
        if value is None:
            problems.extend(
                [located.problem((key,), "has no value — give one or remove the line", key=True)]
            )
            continue
        try:
            clean[key] = f.check(value)
        except s.Invalid as exc:
            problems.extend([located.problem((key,), str(exc))])
    for key, f in schema.fields.items():
        if f.required and key not in data:
            problems.extend(
                [
                    Problem(
                        located.path,
                        1,
                        1,
                        key,
                        f"is required for a {schema.name}{_EXAMPLES.get(key, '')}",
                    )
                ]
            )
    _cross_field(located, clean, section, problems)
    problems.raise_if_any()
    return clean


_EXAMPLES = {
    "title": ' — e.g. title: "Havvind og kommunane"',
    "date": " — e.g. date: 2026-03-01",
    "summary": " — one or two sentences shown in lists, feeds and the teaser",
    "start": " — e.g. start: 2026-03-01 10:00",
    "newsletter": " — e.g. newsletter: perspektiv",
    "number": " — e.g. number: 4",
    "series": " — e.g. series: tenk-nytt",
    "format": " — digital, fysisk or hybrid",
}


def _cross_field(located: Located, meta: dict, section: str, problems: Collector) -> None:
    """Rules that relate two fields of one item."""
    if section == "events":
        start, end = meta.get("start"), meta.get("end")
        if start and end and end <= start:
            problems.extend(
                [
                    located.problem(
                        ("end",),
                        f"ends before it starts ({start:%Y-%m-%d %H:%M}) — end must be after start",
                    )
                ]
            )
        deadline = (meta.get("registration") or {}).get("deadline")
        if start and deadline and deadline > start:
            problems.extend(
                [
                    located.problem(
                        ("registration", "deadline"),
                        "the registration deadline is after the start — move it before",
                    )
                ]
            )
        reg = meta.get("registration")
        if reg is not None and not ({"url", "email"} & reg.keys()):
            problems.extend([located.problem(("registration",), "needs url or email")])
        if meta.get("format") in ("fysisk", "hybrid") and "location" not in meta:
            problems.extend(
                [
                    Problem(
                        located.path,
                        1,
                        1,
                        "location",
                        f"is required for a {meta['format']} event — give name and address",
                    )
                ]
            )
    if meta.get("public_after") is not None and meta.get("access") == "public":
        problems.extend(
            [
                located.problem(
                    ("public_after",),
                    "only applies to partners-only items — remove it, or set access: partners",
                )
            ]
        )
    if "image" in meta and "image_alt" not in meta:
        problems.extend(
            [located.problem(("image",), "needs image_alt: a short description of the image")]
        )


def content_files(content_dir: Path) -> list[Path]:
    """Every Markdown file under the content sections, sorted."""
    out = []
    for section in SECTIONS:
        root = content_dir / section
        if root.is_dir():
            out.extend(sorted(p for p in root.rglob("*.md") if p.is_file()))
    return out


@dataclass
class Site:
    """Every item of a content folder, validated, with cross-item rules checked."""

    items: list[Item] = field(default_factory=list)

    def by_key(self) -> dict[str, Item]:
        return {i.key: i for i in self.items}

    def section(self, name: str) -> list[Item]:
        return [i for i in self.items if i.section == name]


def load_content(content_dir: Path, project_root: Path, default_lang: str = "nn") -> Site:
    """Load and validate every content file; raise one InputError with every problem found."""
    problems = Collector()
    site = Site()
    for path in content_files(content_dir):
        shown = shown_path(path)
        try:
            site.items.append(parse_item(path, content_dir, shown, default_lang))
        except InputError as exc:
            problems.extend(exc.problems)
    _cross_item(site, problems)
    problems.raise_if_any()
    return site


def _cross_item(site: Site, problems: Collector) -> None:
    seen: dict[str, Item] = {}
    for item in site.items:
        url_key = item.slug if item.section == "pages" else item.key
        url_key += "" if item.meta.get("translation_of") is None else f"@{item.lang}"
        if url_key in seen:
            problems.add(
                item.path,
                1,
                1,
                "slug",
                f"'{item.slug}' is also used by {seen[url_key].path}"
                " — give one of them another slug",
            )
        seen.setdefault(url_key, item)
    linkable = {i.slug for i in site.items if i.section in ("briefs", "events")}
    for item in site.section("newsletters"):
        for slug in item.meta.get("features", []):
            if slug not in linkable:
                problems.add(
                    item.path,
                    1,
                    1,
                    "features",
                    f"'{slug}' is not the slug of any brief or event"
                    f"{s.did_you_mean(slug, linkable)}",
                )
    for item in site.items:
        target = item.meta.get("translation_of")
        if target and not any(
            o.slug == target and o.section == item.section and o is not item for o in site.items
        ):
            problems.add(
                item.path,
                1,
                1,
                "translation_of",
                f"'{target}' is not another {item.section[:-1]} in {item.section}/",
            )


def publishable(item: Item, now: datetime) -> bool:
    """Drafts and items dated in the future are never written to the public output."""
    if item.status == "draft":
        return False
    when = item.meta.get("date")
    return not (when and when > now)


def as_date(v: date | datetime) -> date:
    return v.date() if isinstance(v, datetime) else v


__all__ = ["Item", "Site", "load_content", "parse_item", "publishable", "dotted", "SCHEMAS"]
