"""Pelican plugin: hands templates the interface catalogues and formatting filters (no decisions)."""

from __future__ import annotations

from pelican import signals

from plugins.core.i18n import catalogue, long_date, weekday


def add_globals(generator) -> None:
    env = generator.env
    env.globals["T"] = {"nn": catalogue("nn"), "nb": catalogue("nb")}
    env.filters["long_date"] = long_date
    env.filters["weekday"] = weekday


def register() -> None:
    # generator_init: each generator owns its Jinja environment; add ours before any template renders.
    signals.generator_init.connect(add_globals)
