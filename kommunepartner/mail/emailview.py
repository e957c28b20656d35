"""What one edition of a newsletter issue shows, decided in Python and handed to the templates."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

from markupsafe import Markup

from kommunepartner.access.rules import Access, effective_access
from kommunepartner.base.config import Config
from kommunepartner.base.errors import ConfigError, Problem
from kommunepartner.base.i18n import catalogue, long_date
from kommunepartner.content.items import Item, Site, publishable
from kommunepartner.content.registry import Registry
from kommunepartner.mail.emailhtml import email_fragment, markdown_to_html
from kommunepartner.mail.plaintext import Links, html_to_text

NEWSLETTER_NAMES = {"perspektiv": "Perspektiv"}
EDITIONS = ("partner", "public")


@dataclass(frozen=True)
class Card:
    """One featured brief or event as the email shows it."""

    kind: str  # "brief" | "event"
    kind_label: str
    title: str
    url: str  # absolute; the partner edition appends the unlock token to partners-only items
    summary: str
    partners_only: bool
    locked: bool  # a teaser: partners-only item in the public edition
    body_html: Markup = Markup("")  # the full text: partners-only items in the partner edition
    body_text: str = ""
    when: str = ""
    where: str = ""
    format_label: str = ""
    online_url: str = ""  # events, partner edition only
    more_label: str = ""  # the text of the link to the item's page
    path: str = ""  # the source file and its body's first line, for budget messages
    line: int = 0
    weight: int = 0  # bytes of the item's own text in the HTML, for budget messages
    number: str = ""  # a brief's series number in the edition's language: 'Temanotat 2026:4'


@dataclass(frozen=True)
class IssueView:
    """Everything an edition's templates print, as plain values."""

    edition: str
    lang: str
    subject: str
    preheader: str
    title: str
    issue_label: str
    issue_url: str
    body_html: Markup
    body_text: str
    body_locked: bool
    summary: str
    cards: list[Card]
    become_partner_url: str
    postal_address: str
    site_url: str
    newsletter_name: str
    links: Links = field(default_factory=Links)
    problems: list[Problem] = field(default_factory=list)
    body_weight: int = 0


def site_url(config: Config) -> str:
    """The site's absolute address; email needs one (every link in a message is absolute)."""
    url = config.absolute_site_url
    if not re.match(r"^https?://[^/\s]+", url):
        raise ConfigError(
            f"SITEURL is '{config.site_url}' — email needs the site's full address,"
            " e.g. SITEURL = 'https://kommunepartner.no'",
            "SITEURL",
        )
    return url


def item_url(item: Item, site: Site, config: Config) -> str:
    """The absolute URL of an item's page, as pelicanconf names it."""
    return f"{site_url(config)}/{config.item_path(item.section, item.slug)}"


def _resolver(item: Item, site: Site, config: Config):
    """Turns a link written in an item's Markdown into an absolute URL, like Pelican does."""
    page = item_url(item, site, config)
    base = site_url(config)
    content_dir = Path(config.content_dir).resolve()
    by_rel = {}
    for other in site.items:
        try:
            by_rel[Path(other.source).resolve().relative_to(content_dir).as_posix()] = other
        except ValueError:
            continue
    here = Path(item.source).resolve().parent
    try:
        here_rel = here.relative_to(content_dir).as_posix()
    except ValueError:
        here_rel = ""

    def resolve(link: str) -> str | None:
        m = re.match(r"^\{(static|attach|filename)\}(.*)$", link)
        if not m:
            if re.match(r"^(https?:|mailto:|tel:)", link, re.IGNORECASE):
                return link
            if re.match(r"^[a-z][a-z0-9+.-]*:", link, re.IGNORECASE):
                return None
            return (
                urljoin(base + "/", link.lstrip("/"))
                if link.startswith("/")
                else urljoin(page, link)
            )
        kind, target = m.groups()
        target, _, anchor = target.partition("#")
        rel = target.lstrip("/") if target.startswith("/") else posixpath.join(here_rel, target)
        rel = posixpath.normpath(rel)
        if kind == "filename":
            linked = by_rel.get(rel)
            if linked is None:
                return None
            return item_url(linked, site, config) + (f"#{anchor}" if anchor else "")
        return f"{base}/{rel}"

    return resolve


def _fragment(item: Item, site: Site, config: Config, links: Links, problems: list[Problem]):
    frag = email_fragment(
        markdown_to_html(item.body),
        _resolver(item, site, config),
        (item.path, item.body_line),
        item.body,
    )
    problems.extend(frag.problems)
    return Markup(frag.html), html_to_text(frag.html, links), len(frag.html.encode())


def _when(event: Item, lang: str, T: dict) -> str:
    start: datetime = event.meta["start"]
    end: datetime | None = event.meta.get("end")
    text = f"{long_date(start, lang)} {T['email_at']} {start:%H.%M}"
    if end and end.date() == start.date():
        text += f"–{end:%H.%M}"
    elif end:
        text += f" – {long_date(end, lang)} {T['email_at']} {end:%H.%M}"
    return text


def _where(event: Item) -> str:
    loc = event.meta.get("location") or {}
    return ", ".join(p for p in (loc.get("name"), loc.get("address")) if p)


def feature_items(issue: Item, site: Site, config: Config) -> tuple[list[Item], list[Problem]]:
    """The briefs and events an issue features, in its order; unpublished ones are problems."""
    by_slug: dict[str, list[Item]] = {}
    for i in site.items:
        if i.section in ("briefs", "events"):
            by_slug.setdefault(i.slug, []).append(i)
    items, problems = [], []
    for slug in issue.meta.get("features", []):
        candidates = by_slug.get(slug, [])
        if not candidates:
            problems.append(
                Problem(
                    issue.path, 1, 1, "features", f"'{slug}' is not the slug of any brief or event"
                )
            )
            continue
        chosen = next((c for c in candidates if c.lang == issue.lang), candidates[0])
        if not publishable(chosen, config.now):
            problems.append(
                Problem(
                    issue.path,
                    1,
                    1,
                    "features",
                    f"'{slug}' ({chosen.path}) is a draft or dated in the future, so its page is"
                    " not on the site — publish it first or remove it from features",
                )
            )
            continue
        items.append(chosen)
    return items, problems


def issue_view(
    issue: Item, site: Site, registry: Registry, config: Config, edition: str, lang: str
) -> IssueView:
    """Decide what one (edition, language) of an issue shows; problems are collected, not raised."""
    T = catalogue(lang)
    base = site_url(config)
    access = _access(issue, registry, config)
    problems: list[Problem] = []
    links = Links()
    issue_url = item_url(issue, site, config)
    locked_issue = access.partners_only and edition == "public"
    body_html, body_text, body_weight = Markup(""), "", 0
    if not locked_issue:
        body_html, body_text, body_weight = _fragment(issue, site, config, links, problems)
    items, missing = feature_items(issue, site, config)
    problems.extend(missing)
    cards = []
    for item in items:
        partners_only = _access(item, registry, config).partners_only
        locked = partners_only and edition == "public"
        full = partners_only and edition == "partner"
        html, text, weight = Markup(""), "", 0
        if full:
            html, text, weight = _fragment(item, site, config, links, problems)
        is_event = item.section == "events"
        cards.append(
            Card(
                kind="event" if is_event else "brief",
                kind_label=T["email_kind_event" if is_event else "email_kind_brief"],
                title=item.title,
                url=item_url(item, site, config),
                summary=item.summary_text,
                partners_only=partners_only,
                locked=locked,
                body_html=html,
                body_text=text,
                when=_when(item, lang, T) if is_event else "",
                where=_where(item) if is_event else "",
                format_label=T[f"email_format_{item.meta['format']}"] if is_event else "",
                online_url=item.meta.get("online_url", "") if edition == "partner" else "",
                more_label=T["email_read_full" if full and not is_event else "email_read_more"],
                path=item.path,
                line=item.body_line,
                weight=weight + len(item.title.encode()) + len(item.summary_text.encode()),
                number=site.numbers[item.key].label(T) if item.key in site.numbers else "",
            )
        )
    name = NEWSLETTER_NAMES.get(issue.meta["newsletter"], issue.meta["newsletter"].title())
    number = issue.meta["number"]
    return IssueView(
        edition=edition,
        lang=lang,
        subject=_subject(issue.title, name, number, T),
        preheader=issue.meta.get("preheader", ""),
        title=issue.title,
        issue_label=T["email_issue_label"].format(number=number, date=long_date(issue.date, lang)),
        issue_url=issue_url,
        body_html=body_html,
        body_text=body_text,
        body_locked=locked_issue,
        summary=issue.summary_text or issue.meta.get("preheader", ""),
        cards=cards,
        become_partner_url=f"{base}/{config.become_partner_path.lstrip('/')}",
        postal_address=config.postal_address,
        site_url=base + "/",
        newsletter_name=name,
        links=links,
        problems=problems,
        body_weight=body_weight,
    )


def _subject(title: str, name: str, number: int, T: dict) -> str:
    """ "Perspektiv nr. 7: Title", unless the title already names the newsletter."""
    if title.lower().startswith(name.lower()):
        return title
    return T["email_subject"].format(newsletter=name, number=number, title=title)


def _access(item: Item, registry: Registry, config: Config) -> Access:
    return effective_access(item, registry.rule(item.section), config.now)
