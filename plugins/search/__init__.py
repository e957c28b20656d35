"""Pelican plugin: the Pagefind search index of the public pages, written before the swap."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals

from plugins.core.searchindex import write_index
from plugins.discovery.site import published_contents

KEY = "kp_search_files"  # context key: the output files of every page to index


def choose_pages(generators) -> None:
    """Remember which files to index: every published article and page, in every language."""
    generators[0].context[KEY] = [c.save_as for c in published_contents(generators)]


def index_pages(generator, writer) -> None:
    """Index the written pages; the build swaps the output in only after it returns."""
    settings = generator.settings
    write_index(
        Path(generator.output_path),
        generator.context.get(KEY, []),
        settings.get("DEFAULT_LANG", "nn"),
        urlsplit(settings.get("SITEURL") or "").path,
    )


def register() -> None:
    # all_generators_finalized: the list of published pages is complete.
    signals.all_generators_finalized.connect(choose_pages)
    # page_writer_finalized: every article and page is written (articles come first). The
    # `finalized` signal would also do, but it no longer hands us the build's context.
    signals.page_writer_finalized.connect(index_pages)
