"""Pelican plugin: the Pagefind search index of the public pages (before the swap; previews after)."""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from kommunepartner.build.context import context_of
from kommunepartner.build.incremental import PLAN
from kommunepartner.build.pages import published_contents
from kommunepartner.build.searchpreview import Indexing, link_tree
from kommunepartner.outputs.searchindex import FOLDER, LATER, IndexJob

KEY = "kp_search_files"  # context key: the output files of every page to index


def choose_pages(generators) -> None:
    """Remember which files to index: every published article and page, in every language."""
    generators[0].context[KEY] = [c.save_as for c in published_contents(generators)]


def index_pages(generator, writer) -> None:
    """Index the written pages; the build swaps the output in only after it returns.

    A build that hands its end to another process (the CLI's `build`: kommunepartner/build/finish.py)
    leaves the job in settings[LATER]; that process indexes before it swaps, without this
    process's memory beside Pagefind's. A preview rebuild that copied pages from the previous build keeps its index for now and
    indexes in the background after the swap (kommunepartner/build/searchpreview.py).
    """
    settings = generator.settings
    built = Path(generator.output_path)
    files = generator.context.get(KEY, [])
    lang = settings.get("DEFAULT_LANG", "nn")
    # Results are paths from the site's root; the search page puts them under the address it is
    # served from (search.js), so the site works under any path prefix.
    site_path = ""
    plan = settings.get(PLAN)
    if plan is not None and plan.fast and (plan.output / FOLDER).is_dir():
        link_tree(plan.output / FOLDER, built / FOLDER)
        build_id = context_of(settings).build_id
        plan.after_swap.append(Indexing(plan.output, build_id, files, lang, site_path))
        return
    job = IndexJob(tuple(files), lang, site_path)
    if settings.get(LATER) is not None:
        settings[LATER].append(job)
        return
    job.run(built)


def register() -> None:
    # all_generators_finalized: the list of published pages is complete.
    signals.all_generators_finalized.connect(choose_pages)
    # page_writer_finalized: every article and page is written (articles come first). The
    # `finalized` signal would also do, but it no longer hands us the build's context.
    signals.page_writer_finalized.connect(index_pages)
