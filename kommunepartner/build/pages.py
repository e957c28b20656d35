"""Pelican objects → the core's discovery values: which pages exist, their addresses, each page's info."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kommunepartner.base.i18n import catalogue
from kommunepartner.outputs.calendar import CalendarEvent
from kommunepartner.outputs.discovery import (
    FeedLink,
    PageInfo,
    SiteInfo,
    SitemapEntry,
    absolute,
    language_versions,
    teaser,
    version_key,
)

HIDDEN_TEMPLATES = ("notfound", "search")  # direct templates that are not in the sitemap
FEED_LINKS = "kp_feed_links"  # context key: feed folder ('', 'notat/', 'tema/x/') → its links
CALENDAR_LINK = "kp_calendar_link"  # context key: the FeedLink of calendar.ics


@dataclass(frozen=True)
class DiscoverySettings:
    """The settings discovery needs, read once per build."""

    site: SiteInfo
    listed_templates: tuple[str, ...]  # paths of direct-template pages for the sitemap
    hidden_files: dict[str, str]  # output file of the 404 and search pages → their kind
    section_dirs: dict[str, str]  # core section ('briefs') → its folder ('notat/')

    @classmethod
    def from_settings(cls, settings: Mapping) -> DiscoverySettings:
        site = SiteInfo(
            name=settings.get("SITENAME", "Kommunepartner"),
            url=(settings.get("SITEURL") or "").rstrip("/"),
            publisher=settings.get("AUTHOR") or settings.get("SITENAME", ""),
            lang=settings.get("DEFAULT_LANG", "nn"),
        )
        paths, hidden = [], {}
        for name in settings.get("DIRECT_TEMPLATES", []):
            save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
            if name in HIDDEN_TEMPLATES:
                hidden[save_as] = name
            elif save_as:
                paths.append(page_path(save_as))
        category_url = settings.get("CATEGORY_URL", "{slug}/")
        dirs = {
            section: category_url.format(slug=name)
            for section, name in settings.get("KP_SECTIONS", {}).items()
        }
        return cls(site, tuple(paths), hidden, dirs)


def page_path(save_as: str) -> str:
    """'notat/x/index.html' → 'notat/x/' (the address a reader sees); 'index.html' → ''."""
    return save_as[: -len("index.html")] if save_as.endswith("index.html") else save_as


def published_contents(generators: Sequence) -> list:
    """Every published article and page, originals and translations (no drafts, no hidden)."""
    out = []
    for g in generators:
        for name in ("articles", "translations", "pages"):
            out.extend(getattr(g, name, None) or [])
    return [c for c in out if "kp_item" in c.metadata]


@dataclass
class Discovery:
    """Per build: the site, every item's address, and the feeds a page can announce."""

    settings: DiscoverySettings
    urls: dict[tuple[str, str, str], str]  # (section, slug, lang) → absolute URL
    versions: dict[tuple[str, str], list]  # (section, original's slug) → every language version
    sections: dict[str, str]  # section folder ('notat/') → core section ('briefs')

    @classmethod
    def create(cls, settings: DiscoverySettings, contents: Sequence) -> Discovery:
        urls = {}
        for c in contents:
            item = c.metadata["kp_item"]
            urls[(item.section, item.slug, item.lang)] = absolute(settings.site.url, c.url)
        sections = {folder: section for section, folder in settings.section_dirs.items()}
        versions = language_versions([c.metadata["kp_item"] for c in contents])
        return cls(settings, urls, versions, sections)

    def alternates(self, item) -> tuple[tuple[str, str], ...]:
        """Every language version of one text, itself included (hreflang wants the full set)."""
        group = self.versions.get(version_key(item), [item])
        pairs = {(i.lang, self.urls[(i.section, i.slug, i.lang)]) for i in group}
        return tuple(sorted(pairs)) if len(pairs) > 1 else ()

    def sitemap(
        self, contents: Sequence, context: Mapping, listings: Sequence[str] = ()
    ) -> list[SitemapEntry]:
        site = self.settings.site
        entries = [SitemapEntry(absolute(site.url, p)) for p in self.settings.listed_templates]
        for category, _ in context.get("categories", []):
            entries.append(SitemapEntry(absolute(site.url, category.url)))
        for tag, _ in context.get("tags", []):
            entries.append(SitemapEntry(absolute(site.url, tag.url)))
        for path in listings:
            entries.append(SitemapEntry(absolute(site.url, path)))
        for c in contents:
            item = c.metadata["kp_item"]
            when = item.meta.get("date")  # an event's start is not when its page changed
            entries.append(SitemapEntry(absolute(site.url, c.url), when.date() if when else None))
        return entries

    def page_info(self, jctx: Mapping) -> PageInfo:
        """What the page being rendered is, from the template's own variables."""
        site = self.settings.site
        obj = jctx.get("article") or jctx.get("page")
        default = catalogue(site.lang)
        # Set by the feeds and calendar plugins before anything is rendered.
        feed_links: Mapping[str, tuple[FeedLink, ...]] = jctx.get(FEED_LINKS) or {}
        calendar: FeedLink | None = jctx.get(CALENDAR_LINK)
        feeds = list(feed_links.get("", ()))
        if obj is not None and "kp_item" in getattr(obj, "metadata", {}):
            item = obj.metadata["kp_item"]
            t = catalogue(item.lang)
            url = absolute(site.url, obj.url)
            category = getattr(obj, "category", None)
            if category is not None:
                feeds += feed_links.get(category.url, ())
            event = CalendarEvent(item, url) if item.section == "events" else None
            if event is not None and calendar:
                feeds.append(calendar)
            return PageInfo(
                kind="item",
                url=url,
                title=item.title,
                description=teaser(item) or t["meta_description"],
                lang=item.lang,
                item=item,
                partners_only=obj.metadata["kp_access"].partners_only,
                event=event,
                alternates=self.alternates(item),
                feeds=tuple(feeds),
                citation=getattr(getattr(obj, "kp_view", None), "citation", None)
                and obj.kp_view.citation.citation,
            )
        output_file = jctx.get("output_file", "")
        path = page_path(output_file)
        url = absolute(site.url, path)
        tag, category, listing = jctx.get("tag"), jctx.get("category"), jctx.get("listing")
        if listing is not None:  # a series, author, place page or their index
            kind, title = "collection", listing.title
            feeds += feed_links.get(listing.path, ())
        elif tag is not None:
            kind, title = "topic", f"{default['feed_topic']}: {tag.name}"
            feeds += feed_links.get(tag.url, ())
        elif category is not None:
            section = self.sections.get(category.url, "")
            kind, title = "section", default.get(f"section_{section}", category.name)
            feeds += feed_links.get(category.url, ())
            if section == "events" and calendar:
                feeds.append(calendar)
        elif path == "":
            kind, title = "home", site.name
        else:
            kind = self.settings.hidden_files.get(output_file, "other")
            title = default["search_title"] if kind == "search" else site.name
        return PageInfo(
            kind=kind,
            url=url,
            title=title,
            description=default["meta_description"],
            lang=site.lang,
            feeds=tuple(feeds),
        )
