"""Pelican plugin: in a preview rebuild, pages of unchanged items are linked, not rendered."""

from __future__ import annotations

import os
from pathlib import Path

from pelican import signals
from pelican.utils import sanitised_join
from pelican.writers import Writer

from kommunepartner.build.incremental import PLAN


class ReusingWriter(Writer):
    """Writes an unchanged public item's page from the previous output; renders everything else."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._linked: set[str] = set()

    def _reuse(self, plan, name: str) -> bool:
        if not plan.reuse(name, Path(self.output_path)):
            return False
        # Pelican's check against two writes to one file still applies to a linked page.
        path = sanitised_join(self.output_path, name)
        self._written_files.add(path)
        self._linked.add(path)
        return True

    def _open_w(self, filename, encoding, override=False):
        if filename in self._linked:
            # Never write through a hard link: the inode is the previous output's page too.
            self._linked.discard(filename)
            os.unlink(filename)
        return super()._open_w(filename, encoding, override)

    def write_file(self, name, template, context, *args, **kwargs):
        plan = self.settings[PLAN]
        content = kwargs.get("article") or kwargs.get("page")
        item = content.metadata.get("kp_item") if content is not None else None
        if not name:
            pass
        elif item is not None:
            if plan.eligible(content.metadata["kp_access"], content.template):
                if plan.unchanged(item) and self._reuse(plan, name):
                    return None
                template = _Watched(template, lambda html: plan.rendered_page(name, html))
            plan.rendered += 1
        elif ("tag" in kwargs or "category" in kwargs) and not self.settings["DEFAULT_PAGINATION"]:
            # A topic or section list shows only site-wide metadata: the same when that is.
            if plan.unchanged(None) and self._reuse(plan, name):
                return None
            template = _Watched(template, lambda html: plan.rendered_page(name, html))
        return super().write_file(name, template, context, *args, **kwargs)


class _Watched:
    """A template whose rendered HTML is shown to `seen` (Pelican only calls render)."""

    def __init__(self, template, seen) -> None:
        self.template, self.seen = template, seen

    def render(self, *args, **kwargs) -> str:
        html = self.template.render(*args, **kwargs)
        self.seen(html)
        return html


def choose_writer(pelican):
    """Our writer whenever the build has a plan (it counts what it renders and copies)."""
    plan = pelican.settings.get(PLAN)
    return ReusingWriter if plan is not None else None


def register() -> None:
    # get_writer: the writer is asked for once per build, before any page is written.
    signals.get_writer.connect(choose_writer)
