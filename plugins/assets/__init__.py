"""Pelican plugin: theme files get names with a hash of their bytes; templates name them with
`asset('css/site.css')`, so a host may cache them forever (see kommunepartner/outputs/assets.py)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pelican import signals

from kommunepartner.outputs.assets import asset_names


def theme_assets(settings: Mapping) -> dict[str, str]:
    """Each theme static file's output path → its hashed output path (`theme/css/site.….css`)."""
    prefix = settings.get("THEME_STATIC_DIR", "theme").strip("/")
    names: dict[str, str] = {}
    for folder in settings.get("THEME_STATIC_PATHS", ["static"]):
        for plain, hashed in asset_names(Path(settings["THEME"]) / folder).items():
            names[f"{prefix}/{plain}"] = f"{prefix}/{hashed}"
    return names


def add_global(generator) -> None:
    names = theme_assets(generator.settings)

    def asset(path: str) -> str:
        """The hashed path of a theme file, relative to the site (`theme/js/access.….js`)."""
        return names[f"{generator.settings.get('THEME_STATIC_DIR', 'theme')}/{path}"]

    generator.env.globals["asset"] = asset


def rename_copies(pelican) -> None:
    """Pelican copied the theme files under their plain names: give them their hashed names."""
    out = Path(pelican.output_path)
    for plain, hashed in theme_assets(pelican.settings).items():
        if (out / plain).is_file():
            os.replace(out / plain, out / hashed)


def register() -> None:
    # generator_init: templates need `asset()` before any of them renders.
    signals.generator_init.connect(add_global)
    # finalized: every generator has written, the theme's static files included.
    signals.finalized.connect(rename_copies)
