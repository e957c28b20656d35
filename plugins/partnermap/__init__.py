"""Pelican plugin: a page with `template: partnermap` gets the map and tables from the core."""

from __future__ import annotations

from pelican import signals

from kommunepartner.base.i18n import catalogue
from kommunepartner.build.context import context_of
from kommunepartner.outputs.partnermap import build_partner_map

TEMPLATE = "partnermap"


def attach_map(content) -> None:
    """Give the page its `partnermap`: statuses from the build's registry on the build's date."""
    if content.metadata.get("template") != TEMPLATE:
        return
    ctx = context_of(content.settings)
    content.partnermap = build_partner_map(ctx.registry, ctx.config.now, catalogue(content.lang))


def register() -> None:
    # content_object_init: every page exists here with its metadata, before any template renders.
    signals.content_object_init.connect(attach_map)
