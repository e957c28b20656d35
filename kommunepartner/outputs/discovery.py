"""What search engines and link previews see: head tags, JSON-LD, sitemap.xml and robots.txt.

A partners-only item shows its public teaser only (title, summary, date): never its body.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from kommunepartner.content.items import Item
from kommunepartner.outputs.calendar import CalendarEvent
from kommunepartner.outputs.citation import Citation, dublin_core_tags, highwire_tags
from kommunepartner.outputs.events import event_jsonld

OG_LOCALE = {"nn": "nn_NO", "nb": "nb_NO"}
HEADLINE_MAX = 110  # schema.org Article headlines longer than this are cut by search engines
SEARCH_PATH = "sok/"


@dataclass(frozen=True)
class SiteInfo:
    """The site as a whole: its name, address (no trailing slash), publisher and language."""

    name: str
    url: str
    publisher: str
    lang: str


@dataclass(frozen=True)
class FeedLink:
    """A feed or calendar a page announces in its head."""

    title: str
    href: str
    type: str  # application/atom+xml | application/rss+xml | text/calendar


@dataclass(frozen=True)
class PageInfo:
    """One output page as discovery needs it; built by the plugin from Pelican's objects."""

    kind: str  # home | item | section | topic | notfound | search | other
    url: str  # absolute
    title: str
    description: str
    lang: str
    item: Item | None = None
    partners_only: bool = False
    event: CalendarEvent | None = None
    alternates: tuple[tuple[str, str], ...] = ()  # (lang, absolute url) of every version
    feeds: tuple[FeedLink, ...] = ()
    citation: Citation | None = None  # a brief: Highwire and Dublin Core tags


@dataclass(frozen=True)
class HeadMeta:
    """Everything `_head_meta.html` prints, already decided."""

    canonical: str
    robots: str  # '' or 'noindex'
    og: tuple[tuple[str, str], ...]
    twitter: tuple[tuple[str, str], ...]
    alternates: tuple[tuple[str, str], ...]
    feeds: tuple[FeedLink, ...]
    jsonld: str  # JSON text, safe inside <script type="application/ld+json">
    citation: tuple[tuple[str, str], ...] = ()  # (name, content): citation_* and DC.* meta tags


def teaser(item: Item) -> str:
    """The public one-liner of an item: its summary, else (newsletters) its preheader."""
    return item.summary_text or item.meta.get("preheader", "")


def version_key(item: Item) -> tuple[str, str]:
    """The text an item is a version of: its section and the original's slug (`translation_of`)."""
    return item.section, item.meta.get("translation_of") or item.slug


def language_versions(items: Sequence[Item]) -> dict[tuple[str, str], list[Item]]:
    """Items grouped by the text they are versions of, in one pass (hreflang for every page).

    The same rule as listing.translations, which looks up one item at a time.
    """
    groups: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        groups.setdefault(version_key(item), []).append(item)
    return groups


def absolute(site_url: str, path: str) -> str:
    """The absolute address of a site path ('notat/x/' → 'https://…/notat/x/')."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{site_url}/{path.lstrip('/')}"


def publisher(site: SiteInfo) -> dict:
    return {"@type": "Organization", "name": site.publisher, "url": f"{site.url}/"}


def website_jsonld(site: SiteInfo) -> dict:
    """The front page: the site, with the search page as its SearchAction."""
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.name,
        "url": f"{site.url}/",
        "inLanguage": site.lang,
        "publisher": publisher(site),
        "potentialAction": {
            "@type": "SearchAction",
            "target": f"{site.url}/{SEARCH_PATH}?q={{search_term_string}}",
            "query-input": "required name=search_term_string",
        },
    }


def article_jsonld(page: PageInfo, site: SiteInfo, image: str = "") -> dict:
    """schema.org Article: headline, summary, dates, authors; a partners-only body is marked."""
    item = page.item
    assert item is not None and item.date is not None
    authors = item.meta.get("authors") or []
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": item.title[:HEADLINE_MAX],
        "description": page.description,
        "url": page.url,
        "mainEntityOfPage": page.url,
        "datePublished": item.date.isoformat(),
        "author": [{"@type": "Person", "name": a} for a in authors] or publisher(site),
        "publisher": publisher(site),
        "inLanguage": item.lang,
        "isAccessibleForFree": not page.partners_only,
    }
    if item.meta.get("topics"):
        data["keywords"] = ", ".join(item.meta["topics"])
    if page.partners_only:
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": ".kp-slot",
        }
    if image:
        data["image"] = image
    return data


def webpage_jsonld(page: PageInfo, site: SiteInfo) -> dict:
    kinds = {"section": "CollectionPage", "topic": "CollectionPage", "collection": "CollectionPage"}
    kinds["search"] = "SearchResultsPage"
    return {
        "@context": "https://schema.org",
        "@type": kinds.get(page.kind, "WebPage"),
        "name": page.title,
        "url": page.url,
        "inLanguage": page.lang,
        "isPartOf": {"@type": "WebSite", "name": site.name, "url": f"{site.url}/"},
    }


def image_of(item: Item | None, site: SiteInfo) -> tuple[str, str]:
    """A brief's own image (absolute) and its alt text, if it has one."""
    if item is None or not item.meta.get("image"):
        return "", ""
    return absolute(site.url, item.meta["image"]), item.meta.get("image_alt", "")


def jsonld_for(page: PageInfo, site: SiteInfo) -> dict:
    image, _ = image_of(page.item, site)
    if page.kind == "home":
        return website_jsonld(site)
    if page.event is not None:
        return event_jsonld(page.event, publisher(site), image)
    if page.item is not None and page.item.section in ("briefs", "newsletters"):
        return article_jsonld(page, site, image)
    return webpage_jsonld(page, site)


def jsonld_text(data: dict) -> str:
    """JSON for a script element: `<` escaped so no text can close the element early."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def head_meta(page: PageInfo, site: SiteInfo) -> HeadMeta:
    """Canonical URL, robots, Open Graph, Twitter card, hreflang, feed links and JSON-LD."""
    image, image_alt = image_of(page.item, site)
    is_article = page.item is not None and page.item.section in ("briefs", "newsletters")
    og = [
        ("og:site_name", site.name),
        ("og:title", page.title),
        ("og:description", page.description),
        ("og:url", page.url),
        ("og:type", "article" if is_article else "website"),
        ("og:locale", OG_LOCALE.get(page.lang, "nn_NO")),
    ]
    og += [
        ("og:locale:alternate", OG_LOCALE[lang]) for lang, _ in page.alternates if lang != page.lang
    ]
    if image:
        og += [("og:image", image), ("og:image:alt", image_alt)]
    if is_article and page.item and page.item.date:
        og.append(("article:published_time", page.item.date.isoformat()))
        og += [("article:tag", t) for t in page.item.meta.get("topics", [])]
    twitter = [
        ("twitter:card", "summary_large_image" if image else "summary"),
        ("twitter:title", page.title),
        ("twitter:description", page.description),
    ]
    if image:
        twitter += [("twitter:image", image), ("twitter:image:alt", image_alt)]
    return HeadMeta(
        canonical="" if page.kind == "notfound" else page.url,
        robots="noindex" if page.kind in ("notfound", "search") else "",
        og=tuple(og),
        twitter=tuple(twitter),
        alternates=page.alternates if len(page.alternates) > 1 else (),
        feeds=page.feeds,
        jsonld=jsonld_text(jsonld_for(page, site)),
        citation=highwire_tags(page.citation) + dublin_core_tags(page.citation)
        if page.citation
        else (),
    )


@dataclass(frozen=True)
class SitemapEntry:
    url: str  # absolute
    lastmod: date | None = None


def sitemap_xml(entries: Sequence[SitemapEntry]) -> str:
    """sitemap.xml (sitemaps.org 0.9): each address once, in the order given."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    seen: set[str] = set()
    for e in entries:
        if e.url in seen:
            continue
        seen.add(e.url)
        mod = f"<lastmod>{e.lastmod.isoformat()}</lastmod>" if e.lastmod else ""
        lines.append(f"  <url><loc>{escape(e.url)}</loc>{mod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(site_url: str) -> str:
    """Everything may be crawled except the search index files; the sitemap is named."""
    return f"User-agent: *\nDisallow: /pagefind/\n\nSitemap: {site_url}/sitemap.xml\n"
