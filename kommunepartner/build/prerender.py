"""Markdown bodies rendered before Pelican reads them: on every core, and remembered by body.

Markdown → HTML is a pure function of the body and the MARKDOWN settings, so its result can be
reused exactly: a rebuild in `serve` converts only the bodies that changed. Nothing after the
conversion is kept: access, encryption and every page are decided and rendered in each build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
from collections.abc import Iterable, Mapping

from markdown import Markdown

log = logging.getLogger(__name__)

PARALLEL_FROM = 150  # bodies: below this, starting processes costs more than it saves

_caches: dict[str, MarkdownCache] = {}  # one per MARKDOWN configuration, for the process's life
_worker_md: Markdown | None = None  # the Markdown object of a pool worker


def _digest(body: str) -> str:
    return hashlib.blake2b(body.encode("utf-8"), digest_size=16).hexdigest()


class MarkdownCache:
    """HTML by body for one MARKDOWN configuration; holds only the bodies of the latest build."""

    def __init__(self, config: Mapping) -> None:
        self.config = dict(config)
        self._md: Markdown | None = None
        self._html: dict[str, str] = {}
        self.converted = 0  # bodies converted since the latest prerender (tests watch it)

    def html(self, body: str) -> str:
        """The body's HTML: from the cache, or converted now (and remembered)."""
        key = _digest(body)
        html = self._html.get(key)
        if html is None:
            html = self._html[key] = self._convert(body)
        return html

    def _convert(self, body: str) -> str:
        self.converted += 1
        if self._md is None:
            self._md = Markdown(**self.config)
        # One object reset per body: the same output as a fresh Markdown, without re-loading extensions.
        return self._md.reset().convert(body)

    def prerender(self, bodies: Iterable[str], workers: int | None = None) -> int:
        """Convert every new body, on `workers` processes when there are many; forget the rest."""
        wanted = {_digest(b): b for b in bodies}
        self._html = {k: h for k, h in self._html.items() if k in wanted}
        todo = [(k, b) for k, b in wanted.items() if k not in self._html]
        self.converted = 0
        workers = workers or os.cpu_count() or 1
        if len(todo) < PARALLEL_FROM or workers < 2:
            for key, body in todo:
                self._html[key] = self._convert(body)
            return len(todo)
        # fork: the workers inherit the loaded extensions; nothing but bodies and HTML is sent.
        # Bodies go as UTF-8 bytes: pickling a str caches a UTF-8 copy inside it for good.
        context = multiprocessing.get_context("fork")
        chunk = max(1, len(todo) // (workers * 4))
        with context.Pool(workers, initializer=_start_worker, initargs=(self.config,)) as pool:
            sent = [b.encode("utf-8") for _, b in todo]
            htmls = pool.map(_convert_in_worker, sent, chunksize=chunk)
            del sent
        self._html.update(zip((k for k, _ in todo), htmls))
        self.converted = len(todo)
        log.debug("rendered %d Markdown bodies on %d processes", len(todo), workers)
        return len(todo)


def _start_worker(config: dict) -> None:
    global _worker_md
    _worker_md = Markdown(**config)


def _convert_in_worker(body: bytes) -> str:
    assert _worker_md is not None
    return _worker_md.reset().convert(body.decode("utf-8"))


def cache_for(config: Mapping) -> MarkdownCache:
    """The process's cache for this MARKDOWN configuration (a serve loop keeps it between builds)."""
    key = json.dumps(config, sort_keys=True, default=repr)
    if key not in _caches:
        _caches[key] = MarkdownCache(config)
    return _caches[key]
