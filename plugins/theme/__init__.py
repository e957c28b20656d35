"""Pelican plugin: hands templates the catalogues, formatting filters and precomputed view lists."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals

from kommunepartner.base.i18n import catalogue, long_date, weekday
from kommunepartner.build.bytecode import COMPILED
from kommunepartner.build.context import context_of
from kommunepartner.build.pictures import write_variants
from kommunepartner.build.views import ThemeSettings, build_views, collect


def add_globals(generator) -> None:
    env = generator.env
    env.bytecode_cache = COMPILED  # templates unchanged since the previous build are not compiled
    env.globals["T"] = {"nn": catalogue("nn"), "nb": catalogue("nb")}
    env.filters["long_date"] = long_date
    env.filters["weekday"] = weekday
    env.filters["nok"] = nok
    # The 404 page is served at any path, so it names files from the site's root, not relatively.
    env.globals["kp_site_root"] = urlsplit(generator.settings.get("SITEURL") or "").path.rstrip("/")


def nok(amount: int) -> str:
    """100000 → '100 000' (a narrow no-break space groups thousands, as Norwegian does)."""
    return f"{amount:,}".replace(",", "\u202f")


def add_views(generators) -> None:
    """Compute every list the templates show, once, and put it in the shared context as `kp`."""
    first = generators[0]
    ctx = context_of(first.settings)
    tags = {tag.name: tag for tag, _ in first.context.get("tags", [])}
    views = build_views(collect(generators), ctx, ThemeSettings.from_settings(first.settings), tags)
    first.context["kp"] = views
    for picture in views.pictures:
        write_variants(picture, ctx.config.content_dir, Path(first.output_path))


def register() -> None:
    # generator_init: each generator owns its Jinja environment; add ours before any template renders.
    signals.generator_init.connect(add_globals)
    # all_generators_finalized: every article and page is read, nothing is written yet.
    signals.all_generators_finalized.connect(add_views)
