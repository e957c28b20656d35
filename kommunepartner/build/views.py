"""What each template shows, computed once per build from the core's lists (plain values only)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from kommunepartner.base.errors import InputError, Problem
from kommunepartner.base.i18n import catalogue
from kommunepartner.base.kommuner import FYLKER, reference
from kommunepartner.build.context import BuildContext
from kommunepartner.build.pictures import picture_of
from kommunepartner.content.items import Item
from kommunepartner.outputs import listing
from kommunepartner.outputs.citation import FORMATS, Citation, Reference, apa, citation_of
from kommunepartner.outputs.images import Picture
from kommunepartner.outputs.listing import FeeTable
from kommunepartner.outputs.places import fylke_path, kommune_path
from kommunepartner.outputs.publications import author_path

FRONT_BRIEFS = 5
FRONT_EVENTS = 3


@dataclass(frozen=True)
class ThemeSettings:
    """The theme's settings, read once per build."""

    default_lang: str
    areas: tuple[str, ...]
    site_url: str = ""
    institution: str = ""  # who publishes the briefs (AUTHOR): citations name it
    pdf: bool = True  # KP_PDF: each public brief also as a PDF

    @classmethod
    def from_settings(cls, settings: Mapping) -> ThemeSettings:
        return cls(
            settings.get("DEFAULT_LANG", "nn"),
            tuple(settings.get("KP_PROGRAMME_AREAS", ())),
            (settings.get("SITEURL") or "").rstrip("/"),
            settings.get("AUTHOR") or settings.get("SITENAME", ""),
            bool(settings.get("KP_PDF", True)),
        )


@dataclass(frozen=True)
class Link:
    """A name and the page about it (a municipality, a county, an author)."""

    name: str
    url: str


@dataclass(frozen=True)
class CitationView:
    """A brief's "Siter" block: the APA reference and the files to download."""

    citation: Citation
    reference: Reference
    downloads: tuple[tuple[str, str], ...]  # (format, absolute URL): bib, ris, csl.json


@dataclass(frozen=True)
class TopicLink:
    """A topic as the topic index shows it."""

    name: str
    url: str
    count: int
    area: bool


@dataclass(frozen=True)
class Translation:
    """A link to the same text in the other written standard."""

    lang: str
    url: str
    title: str


@dataclass
class ItemView:
    """Per-page values: related places, translations, featured items."""

    places: list[Link] = field(default_factory=list)
    authors: list[Link] = field(default_factory=list)
    number: str = ""  # 'Temanotat 2026:4' in the item's written standard; '' outside a series
    citation: CitationView | None = None  # briefs
    pdf_url: str = ""  # absolute (citation tags); a public brief's PDF when PDFs are made
    pdf_file: str = ""  # the same PDF as the page links it: next to the page, so by its name
    translations: list[Translation] = field(default_factory=list)
    features: list = field(default_factory=list)  # Pelican articles
    picture: Picture | None = None


@dataclass
class SiteView:
    """Site-wide lists; every list holds Pelican content objects, in display order."""

    now: datetime
    latest_briefs: list
    briefs: list
    upcoming: list
    past: list
    issues: list
    latest_issue: object | None
    topics: list[TopicLink]
    by_topic: dict[str, list]
    pages: list
    fee_table: FeeTable
    pictures: list[Picture] = field(default_factory=list)


def collect(generators: Sequence) -> list:
    """Every published article and page (originals and translations) of this build."""
    out = []
    for g in generators:
        for name in ("articles", "pages", "translations"):
            out.extend(getattr(g, name, None) or [])
    return [c for c in out if "kp_item" in c.metadata]


def build_views(contents: list, ctx: BuildContext, ts: ThemeSettings, tags: dict) -> SiteView:
    """Attach an ItemView to every content object and return the site-wide lists."""
    obj: dict[int, object] = {id(c.metadata["kp_item"]): c for c in contents}
    items: list[Item] = [c.metadata["kp_item"] for c in contents]

    def objs(chosen: list[Item]) -> list:
        return [obj[id(i)] for i in chosen]

    ref = reference()
    problems: list[Problem] = []
    pictures: list[Picture] = []
    translated = listing.TranslationIndex(items)
    for c in contents:
        item = c.metadata["kp_item"]
        picture = picture_of(item, ctx.config.content_dir)
        if isinstance(picture, Problem):
            problems.append(picture)
            picture = None
        elif picture is not None:
            pictures.append(picture)
        number = ctx.site.numbers.get(item.key)
        c.kp_view = ItemView(
            places=place_links(item, ref),
            authors=[Link(a, author_path(a)) for a in item.meta.get("authors", [])],
            number=number.label(catalogue(item.lang)) if number else "",
            translations=[
                Translation(t.lang, obj[id(t)].url, t.title) for t in translated.of(item)
            ],
            features=objs(listing.features(item, items)) if item.section == "newsletters" else [],
            picture=picture,
        )
        if item.section == "briefs":
            _cite(c, ctx, ts)
    if problems:
        raise InputError(problems)
    now = ctx.config.now
    upcoming, past = listing.upcoming_and_past(items, now)
    issues = objs(listing.archive(items))
    briefs = objs(listing.latest(items, "briefs"))
    topics = [
        TopicLink(t.name, tags[t.name].url, t.count, t.area)
        for t in listing.topic_index(items, ts.areas)
        if t.name in tags
    ]
    listed = listing.primary_versions(items)
    by_topic = {
        t.name: objs(listing.newest_first(i for i in listed if t.name in i.meta.get("topics", [])))
        for t in topics
    }
    pages = sorted(
        (c for c in contents if c.metadata["kp_item"].section == "pages"),
        key=lambda p: (p.metadata["kp_item"].meta.get("order", 100), p.title),
    )
    return SiteView(
        now=now,
        latest_briefs=briefs[:FRONT_BRIEFS],
        briefs=briefs,
        upcoming=objs(upcoming),
        past=objs(past),
        issues=issues,
        latest_issue=issues[0] if issues else None,
        topics=topics,
        by_topic=by_topic,
        pages=[p for p in pages if not p.metadata["kp_item"].meta.get("translation_of")],
        fee_table=listing.fee_table(ctx.registry, now.date()),
        pictures=pictures,
    )


def place_links(item: Item, ref: Mapping) -> list[Link]:
    """The municipalities and counties an item is about, with their pages, in the order given."""
    links = [Link(ref[n].name, kommune_path(n, ref)) for n in item.meta.get("kommuner", [])]
    return links + [Link(FYLKER[f], fylke_path(f)) for f in item.meta.get("fylker", [])]


def pdf_path(page_path: str, slug: str) -> str:
    """Where a brief's PDF lives: next to its page (`notat/x/` → `notat/x/x.pdf`)."""
    return f"{page_path}{slug}.pdf"


def _cite(c, ctx: BuildContext, ts: ThemeSettings) -> None:
    """A brief's citation, the files it is offered as, and its PDF (public briefs)."""
    item = c.metadata["kp_item"]
    url = f"{ts.site_url}/{c.url}"
    public = not c.metadata["kp_access"].partners_only
    pdf = f"{ts.site_url}/{pdf_path(c.url, item.slug)}" if ts.pdf and public else ""
    number = ctx.site.numbers.get(item.key)
    citation = citation_of(item, number, catalogue(item.lang), ts.institution, url, pdf)
    # The files sit next to the page: linked by name, so a copy of the site works at any address.
    downloads = tuple((fmt, citation.file_name(fmt)) for fmt in FORMATS)
    c.kp_view.citation = CitationView(citation, apa(citation), downloads)
    c.kp_view.pdf_url = pdf
    c.kp_view.pdf_file = f"{item.slug}.pdf" if pdf else ""
