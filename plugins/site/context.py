"""The build context: everything read once per build and handed to every plugin through settings."""

from __future__ import annotations

import contextlib
import functools
import secrets
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plugins.core.access import Access, effective_access
from plugins.core.config import Config
from plugins.core.content import Item, Site, publishable
from plugins.core.crypto import load_secret
from plugins.core.parts import Part
from plugins.core.registry import Registry

KEY = "KP_BUILD"


@dataclass
class BuildContext:
    """Config, registry and validated content of one build, with each item's access decided."""

    config: Config
    registry: Registry
    site: Site
    access: dict[str, Access] = field(default_factory=dict)  # by item key
    by_source: dict[str, Item] = field(default_factory=dict)  # by absolute source path
    published_keys: set[str] = field(default_factory=set)  # not drafts, not future-dated
    # Fresh per build, bound into every sealed payload: old ciphertext never fits a new page.
    build_id: str = field(default_factory=lambda: secrets.token_urlsafe(12))

    @functools.cached_property
    def secret(self) -> bytes:
        """The site secret, read on first use (production settings without one: exit 2)."""
        return load_secret(self.config)

    @classmethod
    def create(cls, config: Config, registry: Registry, site: Site) -> BuildContext:
        ctx = cls(config, registry, site)
        for item in site.items:
            ctx.access[item.key] = effective_access(item, registry.rule(item.section), config.now)
            ctx.by_source[str(Path(item.source).resolve())] = item
            if publishable(item, config.now):
                ctx.published_keys.add(item.key)
        return ctx

    def published(self) -> list[Item]:
        """Items that go into the public output (not drafts, not future-dated)."""
        return [i for i in self.site.items if i.key in self.published_keys]


def context_of(settings: Mapping) -> BuildContext:
    """The build's context; a build run outside tasks.py has none and is refused."""
    ctx = settings.get(KEY)
    if ctx is None:
        raise RuntimeError(
            "Kommunepartner builds run through `python tasks.py build`"
            " (the plugins need the validated registry and content)"
        )
    return ctx


class PartMemo:
    """Parts of the output by a key holding everything they show, kept from one build to the next.

    A preview server rebuilds in one process: a part whose key is unchanged is taken from the
    previous build instead of being made again. A build keeps only the parts it used, so the
    memo never outgrows the site; a build that fails leaves the memo as it was.
    """

    def __init__(self) -> None:
        self._kept: dict[Hashable, Any] = {}

    @contextlib.contextmanager
    def build(self) -> Iterator[Part]:
        """One build's `part(key, make)`: the remembered value for `key`, else `make()`."""
        used: dict[Hashable, Any] = {}

        def part(key: Hashable, make: Callable[[], Any]) -> Any:
            if key not in used:
                used[key] = self._kept[key] if key in self._kept else make()
            return used[key]

        yield part
        self._kept = used
