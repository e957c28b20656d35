"""The leak sweep: a gate before anything is published. Every file of a build is searched for
what must never be public: the text of partners-only items, of drafts and of items dated in the
future, partners-only meeting links, contacts' and subscribers' names and addresses, the site
secret and partners' keys.

Texts are compared as runs of SHINGLE words (case, markup and punctuation ignored), so a
sentence copied into a public page is found wherever it lands (HTML, feeds, the search index,
calendars); titles and summaries are public by design and never count as a leak.
"""

from __future__ import annotations

import gzip
import html
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import brotli
import markdown

from kommunepartner.access.crypto import b64u, partner_key
from kommunepartner.base.errors import Problem, shown_path
from kommunepartner.content.items import Item
from kommunepartner.content.registry import Registry

SHINGLE = 8  # words: long enough that two texts share a run only when one quotes the other
MAX_FILES_PER_ITEM = 3
_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]*>")


def words(text: str) -> list[str]:
    """The words of a text (HTML or plain), lower-cased, markup and entities removed."""
    return _WORD.findall(html.unescape(_TAG.sub(" ", text)).lower())


def shingles(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + SHINGLE]) for i in range(len(w) - SHINGLE + 1)}


def _plain(item: Item) -> str:
    return markdown.markdown(item.body, extensions=["tables", "footnotes"])


def _public_fields(item: Item) -> str:
    meta = item.meta
    return " \n ".join(str(meta.get(k) or "") for k in ("title", "summary", "preheader"))


@dataclass(frozen=True)
class Private:
    """Something that must not be in the output: exact strings, or runs of words of a text."""

    source: str  # the file to fix, as shown to the operator
    what: str
    strings: tuple[str, ...] = ()
    runs: frozenset[tuple[str, ...]] = frozenset()


def private_texts(
    items: Iterable[Item], partners_only: set[str], published: set[str], registry: Registry
) -> list[Private]:
    """What the output may not hold, from content and the registry (not from the output)."""
    items = list(items)
    public_runs: set[tuple[str, ...]] = set()
    for item in items:
        if item.key in published and item.key not in partners_only:
            public_runs |= shingles(_plain(item)) | shingles(_public_fields(item))
    found = []
    for item in items:
        own_teaser = shingles(_public_fields(item))
        if item.key in published and item.key in partners_only:
            what, runs = "partners-only text", shingles(_plain(item)) - own_teaser
        elif item.key not in published:
            # A draft or future item that repeats public text gives nothing away by it.
            what = "unpublished text (a draft or dated in the future)"
            runs = shingles(_plain(item)) - own_teaser - public_runs
        else:
            runs, what = set(), ""
        if runs:
            found.append(Private(item.path, what, runs=frozenset(runs)))
        if item.meta.get("online_url"):
            found.append(
                Private(item.path, "the partners-only meeting link", (item.meta["online_url"],))
            )
    authors = {a.lower() for i in items if i.key in published for a in i.meta.get("authors", [])}
    for p in registry.partners:
        for c in p.contacts:
            names = () if c.name.lower() in authors else (c.name,)
            found.append(Private(registry.path, f"a contact of {p.name}", (c.email, *names)))
    return found


def secret_strings(secret: bytes, registry: Registry) -> Private:
    """The site secret and every partner key up to its current version, as they would appear."""
    keys = [
        b64u(partner_key(secret, p.id, v))
        for p in registry.partners
        for v in range(p.key_version + 1)
    ]
    return Private("secret", "the site secret or a partner's key", (secret.decode(), *keys))


def subscriber_strings(addresses: Iterable[str], source: Path) -> Private:
    return Private(shown_path(source), "a subscriber's address", tuple(a for a in addresses if a))


def output_texts(folder: Path) -> Iterator[tuple[str, str]]:
    """Every file of a build by relative path, as text (compressed files decompressed)."""
    for root, _dirs, names in os.walk(folder):
        for name in sorted(names):
            path = Path(root) / name
            data = path.read_bytes()
            try:
                if data[:2] == b"\x1f\x8b":
                    data = gzip.decompress(data)
                elif path.suffix == ".br":
                    data = brotli.decompress(data)
            except (OSError, EOFError, zlib.error, brotli.error):
                pass  # not what its name says: searched as it is
            yield str(path.relative_to(folder)), data.decode("utf-8", errors="replace")


def sweep(folder: Path, private: list[Private]) -> list[Problem]:
    """One problem per private thing and output file that holds it; [] when the build is clean."""
    runs: dict[tuple[str, ...], int] = {}
    for n, p in enumerate(private):
        for run in p.runs:
            runs.setdefault(run, n)
    strings = [(s.lower(), n) for n, p in enumerate(private) for s in p.strings if len(s) >= 6]
    hits: dict[int, dict[str, str]] = {}
    for rel, text in output_texts(folder):
        lower = text.lower()
        for s, n in strings:
            if s in lower:
                hits.setdefault(n, {}).setdefault(rel, "")
        w = words(text)
        for i in range(len(w) - SHINGLE + 1):
            n = runs.get(tuple(w[i : i + SHINGLE]))
            if n is not None:
                hits.setdefault(n, {}).setdefault(rel, " ".join(w[i : i + SHINGLE]))
    problems = []
    for n, files in sorted(hits.items()):
        p = private[n]
        shown = sorted(files)[:MAX_FILES_PER_ITEM]
        more = len(files) - len(shown)
        where = ", ".join(f"{f} (“{files[f]}…”)" if files[f] else f for f in shown)
        where += f" and {more} more" if more else ""
        problems.append(
            Problem(
                p.source,
                message=f"{p.what} is in the output: {where} — remove it from what is public"
                " (or make that page partners-only); nothing was published",
            )
        )
    return problems
