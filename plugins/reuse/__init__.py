"""Pelican plugin: in a preview rebuild, pages of unchanged items are copied, not rendered."""

from __future__ import annotations

from pathlib import Path

from pelican import signals
from pelican.writers import Writer

from plugins.site.context import context_of
from plugins.site.incremental import PLAN


class ReusingWriter(Writer):
    """Writes an unchanged public item's page from the previous output; renders everything else."""

    def write_file(self, name, template, context, *args, **kwargs):
        plan = self.settings[PLAN]
        content = kwargs.get("article") or kwargs.get("page")
        item = content.metadata.get("kp_item") if content is not None else None
        if item is not None and name:
            access = content.metadata["kp_access"]
            if plan.reusable(item, access, content.template) and plan.reuse(
                name, context_of(self.settings).build_id, Path(self.output_path)
            ):
                return None
            plan.rendered += 1
        return super().write_file(name, template, context, *args, **kwargs)


def choose_writer(pelican):
    """Our writer whenever the build has a plan (it counts what it renders and copies)."""
    plan = pelican.settings.get(PLAN)
    return ReusingWriter if plan is not None else None


def register() -> None:
    # get_writer: the writer is asked for once per build, before any page is written.
    signals.get_writer.connect(choose_writer)
