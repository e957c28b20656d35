"""Preview rebuilds that render only what an edit affects, in a process that builds repeatedly.

`tasks.py serve` builds into the same output again and again in one process. After a build we
remember its signature: a site-wide one (every item's validated metadata and access, the
upcoming/past split of events, the theme, the registry, the settings, the static files, the
day) and one per item (its metadata and body). When the next build's site-wide signature is the
same, only bodies changed. Then the pages of unchanged public briefs, pages and issues, and
the topic and section lists, are the bytes a render would give, except the page's build id
(which binds only sealed payloads, and these pages have none): they are hard-linked from the
previous output. Pages with a sealed payload (sealed for the current partners in
every build), events (their registration closes by the clock), the front page, feeds, calendars and every other file are rendered as always.
Any other change makes a full build. A new process (every `tasks.py build`) has no memory, so
its build is always full.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kommunepartner.build.context import KEY, BuildContext
from kommunepartner.content.items import Item
from kommunepartner.outputs.listing import upcoming_and_past

log = logging.getLogger(__name__)

PLAN = "KP_REUSE"  # settings key of this build's Plan
# Templates whose page shows only its own item plus site-wide metadata (no clock, no registry;
# an issue lists its features by title and summary).
REUSABLE_TEMPLATES = frozenset({"brief", "page", "newsletter"})
SEALED = 'class="kp-sealed"'  # a page holding a sealed payload is rendered in every build
_VOLATILE = {"OUTPUT_PATH", KEY, PLAN}  # settings that differ between builds by design


def _digest(*parts: object) -> str:
    data = json.dumps(parts, sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16).hexdigest()


def item_signature(item: Item) -> str:
    body = hashlib.blake2b(item.body.encode("utf-8"), digest_size=16).hexdigest()
    return _digest(item.key, item.lang, item.meta, body)


def _files(folder: Path) -> list[tuple[str, int, int]]:
    """Each file under `folder` by path, size and modification time."""
    if not folder.is_dir():
        return []
    found = []
    for root, _dirs, names in os.walk(folder):
        for name in names:
            st = os.stat(os.path.join(root, name))
            found.append((os.path.join(root, name), st.st_size, st.st_mtime_ns))
    return sorted(found)


def site_signature(settings: Mapping, ctx: BuildContext) -> str:
    """Everything a reusable page depends on besides its own item."""
    items = []
    for item in ctx.site.items:
        # A summary Pelican cuts from the body makes the body site-wide (lists, features).
        body = None if item.summary_text else item.body
        items.append(
            (
                item.key,
                item.lang,
                item.meta,
                ctx.access[item.key],
                item.key in ctx.published_keys,
                body,
            )
        )
    config = ctx.config
    themes = [Path(settings["THEME"])] + [
        Path(p) for p in settings.get("THEME_TEMPLATES_OVERRIDES", [])
    ]
    static = [f for f in _files(config.content_dir) if not f[0].endswith(".md")]
    # Event lists split upcoming from past by the clock: the split is site-wide.
    upcoming = [e.key for e in upcoming_and_past(ctx.published(), config.now)[0]]
    return _digest(
        items,
        upcoming,
        {k: v for k, v in settings.items() if k not in _VOLATILE},
        [_files(t) for t in themes],
        static,
        Path(config.partners_file).read_bytes(),
        config.now.date(),
    )


class Job(Protocol):
    """Work that starts once the build is swapped in and stops when a newer build starts."""

    def start(self) -> None: ...

    def cancel(self) -> None: ...

    def wait(self) -> None: ...


@dataclass
class Previous:
    """What the process remembers of the latest build swapped into one output folder."""

    build_id: str
    site: str
    items: dict[str, str]
    reused: int = 0  # pages linked from the build before (0: a full build)
    rendered: int = 0  # item pages rendered
    clean: frozenset[str] = frozenset()  # the pages the next build may link
    # Work started after that build (e.g. search indexing) that a newer build makes pointless.
    jobs: list[Job] = field(default_factory=list)


@dataclass
class Plan:
    """This build's decision: reuse pages of unchanged items from `previous`, or render all."""

    output: Path
    site: str
    items: dict[str, str]
    previous: Previous | None = None
    reused: int = 0
    rendered: int = 0
    clean: set[str] = field(default_factory=set)  # pages of reusable items without a payload
    after_swap: list[Job] = field(default_factory=list)

    @property
    def fast(self) -> bool:
        return self.previous is not None

    def eligible(self, access, template: str) -> bool:
        """A public page that shows only its own item and site-wide metadata."""
        return template in REUSABLE_TEMPLATES and not access.partners_only

    def unchanged(self, item: Item | None) -> bool:
        """True for an item whose signature is the previous build's; a list has no item."""
        prev = self.previous
        if prev is None:
            return False
        return item is None or prev.items.get(item.key) == self.items.get(item.key)

    def reuse(self, name: str, into: Path) -> bool:
        """Hard-link `name` from the previous output; False: render it instead.

        Only a page known to hold no sealed payload is linked: its bytes are what a render would
        give now, except the page's build id, which binds nothing on a page without a payload.
        """
        assert self.previous is not None
        if name not in self.previous.clean:
            return False
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(self.output / name, target)
        except OSError:
            return False
        self.clean.add(name)
        self.reused += 1
        return True

    def rendered_page(self, name: str, html: str) -> None:
        """Note a rendered page of a reusable item; one holding a sealed payload is never linked."""
        if SEALED not in html:
            self.clean.add(name)


_memory: dict[Path, Previous] = {}  # by output folder, for the life of the process


def supersede(output: Path) -> None:
    """A new build of `output` starts: stop the work left from the previous one."""
    prev = _memory.get(output)
    for job in prev.jobs if prev else []:
        job.cancel()


def plan(output: Path, settings: Mapping, ctx: BuildContext) -> Plan:
    """Decide how much of this build can come from the previous one; cancel its leftover work."""
    items = {i.key: item_signature(i) for i in ctx.site.items}
    current = Plan(output, site_signature(settings, ctx), items)
    prev = _memory.get(output)
    if prev is not None:
        supersede(output)
        if prev.site == current.site and output.is_dir():
            current.previous = prev
        else:
            log.debug("full rebuild: the site-wide signature changed")
    return current


def swapped_in(p: Plan, ctx: BuildContext) -> None:
    """Called under the output lock right after the swap: remember it, start its jobs."""
    _memory[p.output] = Previous(
        ctx.build_id, p.site, p.items, p.reused, p.rendered, frozenset(p.clean), list(p.after_swap)
    )
    for job in p.after_swap:
        job.start()


def current(output: Path) -> Previous | None:
    """The memory of the latest build swapped into `output` by this process."""
    return _memory.get(output)


def settle(output: Path) -> None:
    """Wait until the work started after the latest build (search index) is done."""
    prev = _memory.get(output)
    for job in prev.jobs if prev else []:
        job.wait()
