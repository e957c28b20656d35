"""Pelican reader for Markdown with YAML front matter, fed from the core's validated items."""

from __future__ import annotations

from pelican import signals
from pelican.readers import BaseReader

from kommunepartner.build.context import context_of
from kommunepartner.build.prerender import cache_for

TEMPLATES = {"briefs": "brief", "newsletters": "newsletter", "events": "event"}


class KommunepartnerReader(BaseReader):
    """Reads an item the core already validated; decides nothing itself but drafts and dates."""

    enabled = True
    file_extensions = ["md"]

    def read(self, source_path: str):
        ctx = context_of(self.settings)
        item = ctx.by_source.get(source_path)
        if item is None:  # a file outside the sections; the core has reported it
            raise ValueError(f"{source_path} was not validated")
        html = cache_for(self.settings["MARKDOWN"]).html(item.body)
        meta = {
            "title": item.title,
            "slug": item.slug,
            "lang": item.lang,
            "status": self._status(item, ctx),
            "kp_item": item,
            "kp_access": ctx.access[item.key],
        }
        if item.summary_text:
            meta["summary"] = item.summary_text
        if item.date is not None:
            meta["date"] = item.date
        if item.section != "pages":
            meta["category"] = self.process_metadata(
                "category", self.settings["KP_SECTIONS"][item.section]
            )
        if item.meta.get("topics"):
            meta["tags"] = self.process_metadata("tags", ", ".join(item.meta["topics"]))
        meta["template"] = item.meta.get("template") or TEMPLATES.get(item.section, "page")
        return html, meta

    @staticmethod
    def _status(item, ctx) -> str:
        if item.status == "draft":
            return "draft"
        # Future-dated items get Pelican's "skip": no page, no list, no feed.
        return "published" if item.key in ctx.published_keys else "skip"


def add_reader(readers) -> None:
    readers.reader_classes["md"] = KommunepartnerReader


def prerender_bodies(pelican) -> None:
    """Convert every body on all cores before the first file is read (bench/ shows why)."""
    bodies = [item.body for item in context_of(pelican.settings).site.items]
    cache_for(pelican.settings["MARKDOWN"]).prerender(bodies)


def register() -> None:
    # readers_init: replace the built-in Markdown reader before any file is read.
    signals.readers_init.connect(add_reader)
    # initialized: once per build, before any generator reads; Markdown is most of a build's time.
    signals.initialized.connect(prerender_bodies)
