"""The build context: everything read once per build and handed to every plugin through settings."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import secrets
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kommunepartner.access.crypto import load_secret
from kommunepartner.access.envelope import seal_id
from kommunepartner.access.rules import Access, effective_access
from kommunepartner.base.config import Config
from kommunepartner.base.parts import Part
from kommunepartner.base.yamlfile import read_text
from kommunepartner.content.items import Item, Site, publishable
from kommunepartner.content.registry import Partner, Registry, load_registry, parse_registry
from kommunepartner.outputs.sitestate import revision

KEY = "KP_BUILD"
# Settings key: true in a build whose process ends with it (nothing is kept for a next build).
ONE_SHOT = "KP_ONE_SHOT"


@dataclass
class BuildContext:
    """Config, registry and validated content of one build, with each item's access decided."""

    config: Config
    registry: Registry
    site: Site
    access: dict[str, Access] = field(default_factory=dict)  # by item key
    by_source: dict[str, Item] = field(default_factory=dict)  # by absolute source path
    published_keys: set[str] = field(default_factory=set)  # not drafts, not future-dated
    # Fresh per build: tells one build of a preview server from the next (not in the output).
    build_id: str = field(default_factory=lambda: secrets.token_urlsafe(12))

    @functools.cached_property
    def secret(self) -> bytes:
        """The site secret, read on first use (production settings without one: exit 2)."""
        return load_secret(self.config)

    @functools.cached_property
    def readers(self) -> list[Partner]:
        """The partners in good standing on the build date: who can open sealed content."""
        return self.registry.in_good_standing(self.config.now.date())

    @functools.cached_property
    def seal_id(self) -> str:
        """The id bound into every sealed payload and page (`kp-build`): derived from the secret
        and the readers, so an unchanged site builds to the same bytes (see envelope.seal_id)."""
        return seal_id(self.secret, self.readers)

    @functools.cached_property
    def revision(self) -> datetime:
        """The latest moment the clock changed what the site shows: the time of feeds and
        calendars, so a rebuild with nothing changed writes the same bytes."""
        return revision(self.site.items, self.published_keys, self.registry, self.config.now)

    @classmethod
    def create(cls, config: Config, registry: Registry, site: Site) -> BuildContext:
        ctx = cls(config, registry, site)
        folders: dict[str, str] = {}
        for item in site.items:
            ctx.access[item.key] = effective_access(item, registry.rule(item.section), config.now)
            ctx.by_source[resolved(item.source, folders)] = item
            if publishable(item, config.now):
                ctx.published_keys.add(item.key)
        return ctx

    def published(self) -> list[Item]:
        """Items that go into the public output (not drafts, not future-dated)."""
        return [i for i in self.site.items if i.key in self.published_keys]


def resolved(source: str, folders: dict[str, str]) -> str:
    """`Path(source).resolve()`, resolving each folder once in `folders` (a site has a few)."""
    if os.path.islink(source):
        return str(Path(source).resolve())
    folder, name = os.path.split(source)
    if folder not in folders:
        folders[folder] = str(Path(folder or ".").resolve())
    return os.path.join(folders[folder], name)


def context_of(settings: Mapping) -> BuildContext:
    """The build's context; a build run outside tasks.py has none and is refused."""
    ctx = settings.get(KEY)
    if ctx is None:
        raise RuntimeError(
            "Kommunepartner builds run through `./tasks.py build`"
            " (the plugins need the validated registry and content)"
        )
    return ctx


class RegistryMemo:
    """The registry of the latest load, given again while partners.yaml's text is the same.

    A preview server reads the registry on every rebuild. The text is read each time and its
    hash compared, not the file's modification time: an edit within the clock's resolution, or a
    file put back with an older time, is read afresh. A registry with problems is never kept.
    """

    def __init__(self) -> None:
        self._latest: tuple[tuple[str, str, bytes], Registry] | None = None

    def load(self, path: Path, shown: str) -> Registry:
        if not path.is_file():
            return load_registry(path, shown)  # says what is missing
        text = read_text(path, shown)
        key = (str(path), shown, hashlib.blake2b(text.encode("utf-8"), digest_size=20).digest())
        if self._latest is not None and self._latest[0] == key:
            return self._latest[1]
        registry = parse_registry(text, shown)
        self._latest = (key, registry)
        return registry


class PartMemo:
    """Parts of the output by a key holding everything they show, kept from one build to the next.

    A preview server rebuilds in one process: a part whose key is unchanged is taken from the
    previous build instead of being made again. A build keeps only the parts it used, so the
    memo never outgrows the site; a build that fails leaves the memo as it was.
    """

    def __init__(self) -> None:
        self._kept: dict[Hashable, Any] = {}

    @contextlib.contextmanager
    def build(self, settings: Mapping | None = None) -> Iterator[Part]:
        """One build's `part(key, make)`: the remembered value for `key`, else `make()`.

        A one-shot build (settings[ONE_SHOT], the command line's `build`) has no next build to
        give parts to: it makes every part and keeps none, so they do not add to its memory.
        """
        if settings is not None and settings.get(ONE_SHOT):
            yield lambda _key, make: make()
            return
        used: dict[Hashable, Any] = {}

        def part(key: Hashable, make: Callable[[], Any]) -> Any:
            if key not in used:
                used[key] = self._kept[key] if key in self._kept else make()
            return used[key]

        yield part
        self._kept = used
