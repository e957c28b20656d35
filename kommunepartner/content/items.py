"""Content files: Markdown with YAML front matter, one schema per section, all problems collected."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from kommunepartner.base import schema as s
from kommunepartner.base.errors import Collector, InputError, Problem, shown_path
from kommunepartner.base.slug import slugify
from kommunepartner.base.yamlfile import dotted, load_yaml, read_text
from kommunepartner.content.frontmatter import split_front_matter, validate
from kommunepartner.content.series import SeriesNumber, number_briefs

SECTIONS = ("briefs", "newsletters", "events", "pages")
LANGS = ("nb", "nn")
EVENT_SERIES = ("tenk-nytt", "partnertreff", "erfaringsdeling", "webinar", "konferanse")
NEWSLETTERS = ("perspektiv",)


_COMMON = {
    "title": s.Field(s.text(200), required=True),
    "slug": s.Field(s.slug),
    "status": s.Field(s.one_of("published", "draft")),
    "lang": s.Field(s.one_of(*LANGS, labels={"nb": "bokmål", "nn": "nynorsk"})),
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
            "authors": s.Field(s.list_of(s.text(120), example="[Kari Nordmann, Ola Nordmann]")),
            "topics": s.Field(s.list_of(s.keyword)),
            "series": s.Field(s.one_of("policy-brief", "temanotat")),
            "number": s.Field(s.integer(1)),
            "kommuner": s.Field(s.list_of(s.kommunenummer, example="[4601, 1103]")),
            "fylker": s.Field(s.list_of(s.fylke, example="[Vestland, Rogaland]")),
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
            "number": s.Field(s.integer(1, example=4), required=True),
            "preheader": s.Field(s.text(150), required=True),  # shown after the subject in inboxes
            "features": s.Field(s.list_of(s.slug, example="[havvind-og-kommunane]")),
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
            "location": s.Field(s.mapping(_LOCATION, "location")),
            "online_url": s.Field(s.url),
            "registration": s.Field(s.mapping(_REGISTRATION, "registration")),
            "capacity": s.Field(s.integer(1, example=40)),
            "topics": s.Field(s.list_of(s.keyword)),
            "kommuner": s.Field(s.list_of(s.kommunenummer, example="[4601, 1103]")),
            "fylker": s.Field(s.list_of(s.fylke, example="[Vestland, Rogaland]")),
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
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # "features[1]" -> (l, c)

    def at(self, name: str) -> tuple[int, int]:
        """Where a field stands in the file (line, col); the top of the file when it is absent."""
        return self.positions.get(name, (1, 1))

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


def section_of(path: Path, content_dir: Path) -> str | None:
    rel = path.relative_to(content_dir)
    return rel.parts[0] if len(rel.parts) > 1 and rel.parts[0] in SECTIONS else None


def parse_item(path: Path, content_dir: Path, shown: str, default_lang: str = "nn") -> Item:
    """Read and validate one content file; raise InputError listing every problem in it."""
    section = section_of(path, content_dir)
    if section is None:
        raise InputError(
            Problem(shown, 1, 1, "", f"content files belong in one of {', '.join(SECTIONS)}/")
        )
    fm, body, body_line = split_front_matter(read_text(path, shown), shown)
    located = load_yaml(fm, shown, line_offset=1, keep_going=True)
    if not isinstance(located.data, dict):
        raise InputError(
            Problem(shown, 2, 1, "", "the front matter must be fields like 'title: …'")
        )
    problems = Collector()
    if "slug" not in located.data and not _SLUG.match(path.stem):
        problems.add(
            shown,
            1,
            1,
            "slug",
            f"the file name '{path.name}' does not make a valid slug — rename the file"
            f" {slugify(path.stem)}.md (lower-case a–z, digits, hyphens), or set slug:",
        )
    meta = validate(located, SCHEMAS[section], section, problems)
    if section == "pages" and meta.get("slug", path.stem) in RESERVED_PAGE_SLUGS:
        at = located.at(("slug",)) if "slug" in meta else (1, 1)
        problems.add(
            shown,
            *at,
            "slug",
            f"'{meta.get('slug', path.stem)}' is the address of a section list"
            f" ({', '.join(RESERVED_PAGE_SLUGS)}) — choose another slug",
        )
        problems.raise_if_any()
    positions = {dotted(k): v for k, v in located.keys.items()}
    positions.update({dotted(k): v for k, v in located.values.items()})  # values win
    return Item(
        section,
        shown,
        meta.get("slug") or path.stem,
        meta,
        body,
        body_line,
        meta.get("lang", default_lang),
        str(path),
        positions,
    )


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Page URLs are /<slug>/; these are taken by the section, topic, series, place and author lists.
RESERVED_PAGE_SLUGS = (
    "notat",
    "perspektiv",
    "arrangement",
    "tema",
    "serie",
    "kommune",
    "fylke",
    "forfattar",
)


def content_files(content_dir: Path) -> list[Path]:
    """Every file under the content sections but hidden ones, sorted (broken links included)."""
    out = []
    for section in SECTIONS:
        root = content_dir / section
        if root.is_dir():
            out.extend(
                sorted(
                    p
                    for p in root.rglob("*")
                    if not any(part.startswith(".") for part in p.relative_to(root).parts)
                    and (p.suffix == ".md" or not p.is_dir())
                )
            )
    return out


@dataclass
class Site:
    """Every item of a content folder, validated, with cross-item rules checked."""

    items: list[Item] = field(default_factory=list)
    numbers: dict[str, SeriesNumber] = field(default_factory=dict)  # briefs' series numbers by key

    def by_key(self) -> dict[str, Item]:
        return {i.key: i for i in self.items}

    def section(self, name: str) -> list[Item]:
        return [i for i in self.items if i.section == name]


class ParseMemo:
    """Items already validated in this process, by file and the digest of its bytes.

    A preview server re-validates every file on each rebuild; a file whose bytes did not change
    gives the same Item, so it is taken from here. Files with problems are never remembered, and
    each load keeps only the files it saw, so the memo never outgrows the site.
    """

    def __init__(self) -> None:
        self._items: dict[tuple, tuple[bytes, Item]] = {}

    def parse(self, path: Path, content_dir: Path, shown: str, default_lang: str) -> Item:
        key = (str(path), str(content_dir), shown, default_lang)
        digest = hashlib.blake2b(path.read_bytes(), digest_size=20).digest()
        known = self._items.get(key)
        if known is not None and known[0] == digest:
            return known[1]
        item = parse_item(path, content_dir, shown, default_lang)
        self._items[key] = (digest, item)
        return item

    def keep_only(self, paths: set[str]) -> None:
        self._items = {k: v for k, v in self._items.items() if k[0] in paths}


def load_content(
    content_dir: Path, project_root: Path, default_lang: str = "nn", memo: ParseMemo | None = None
) -> Site:
    """Load and validate every content file; raise one InputError with every problem found."""
    if not content_dir.is_dir():
        raise InputError(
            Problem(
                shown_path(content_dir),
                message="the content folder does not exist — create it or pass --content DIR",
            )
        )
    problems = Collector()
    site = Site()
    files = content_files(content_dir)
    for path in files:
        shown = shown_path(path)
        if path.suffix != ".md":
            # Pelican would read .markdown/.html itself, unvalidated and without access rules.
            problems.add(
                shown,
                1,
                1,
                "",
                f"is not a content file: content files end in .md — rename it to {path.stem}.md,"
                " or move it to content/images/",
            )
            continue
        if not path.is_file():
            problems.add(shown, 1, 1, "", "is not a readable file — a broken link or a folder?")
            continue
        try:
            if memo is None:
                site.items.append(parse_item(path, content_dir, shown, default_lang))
            else:
                site.items.append(memo.parse(path, content_dir, shown, default_lang))
        except InputError as exc:
            problems.extend(exc.problems)
    if memo is not None:
        memo.keep_only({str(p) for p in files})
    _cross_item(site, problems)
    site.numbers, clashes = number_briefs(site.items)
    problems.extend(clashes)
    _named_files_exist(site, content_dir, problems)
    problems.raise_if_any()
    return site


def _named_files_exist(site: Site, content_dir: Path, problems: Collector) -> None:
    """A picture named in `image:` must be a file in the content folder (check catches it, too)."""
    for item in site.items:
        name = item.meta.get("image")
        if name and not (content_dir / name).is_file():
            problems.add(
                item.path,
                *item.at("image"),
                "image",
                f"'{name}' is not a file in the"
                " content folder — put the picture in content/images/ and write e.g."
                " image: images/havvind.jpg",
            )


def _cross_item(site: Site, problems: Collector) -> None:
    """Rules between items: unique addresses and numbers, links that point at something."""
    seen: dict[str, Item] = {}
    for item in site.items:
        url_key = item.slug if item.section == "pages" else item.key
        if url_key in seen:
            problems.add(
                item.path,
                *item.at("slug"),
                "slug",
                f"'{item.slug}' is also used by {seen[url_key].path}"
                " — give one of them another slug",
            )
        seen.setdefault(url_key, item)
    numbers: dict[tuple, Item] = {}
    for item in site.section("newsletters"):
        if item.meta.get("translation_of"):
            continue
        number = (item.meta["newsletter"], item.meta["number"])
        if number in numbers:
            problems.add(
                item.path,
                *item.at("number"),
                "number",
                f"{number[1]} is also the number of {numbers[number].path}"
                f" — use {max(n for _, n in numbers) + 1}",
            )
        numbers.setdefault(number, item)
    linkable = {i.slug for i in site.items if i.section in ("briefs", "events")}
    for item in site.section("newsletters"):
        for i, slug in enumerate(item.meta.get("features", [])):
            if slug not in linkable:
                problems.add(
                    item.path,
                    *item.at(f"features[{i}]"),
                    f"features[{i}]",
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
                *item.at("translation_of"),
                "translation_of",
                f"'{target}' is not another {item.section[:-1]} in {item.section}/"
                f"{s.did_you_mean(target, [o.slug for o in site.section(item.section) if o is not item])}",
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
