"""What the commands share: the project's paths, the common options and the Options record."""

from __future__ import annotations

from pathlib import Path

import click

from kommunepartner.build.settings import ROOT, Options

PATH = click.Path(path_type=Path)


def common(f):
    """The options every command that reads content or the registry takes."""
    f = click.option(
        "--settings",
        "settings",
        type=PATH,
        default=ROOT / "pelicanconf.py",
        show_default="pelicanconf.py",
        help="Settings file (publishconf.py for production).",
    )(f)
    f = click.option("--partners", type=PATH, help="Partner registry (default: partners.yaml).")(f)
    f = click.option("--content", type=PATH, help="Content folder (default: content/).")(f)
    return f


def state_options(f):
    """The options of a command that reads only settings and state (ledger, suppression list)."""
    f = click.option("--state", type=PATH, help="State folder (ledger, suppression list).")(f)
    return click.option(
        "--settings", type=PATH, default=ROOT / "pelicanconf.py", show_default="pelicanconf.py"
    )(f)


def options(settings, content, partners, **more) -> Options:
    return Options(settings=settings, content=content, partners=partners, **more)


def program_run() -> bool:
    """True when tasks.py runs as a program (not through click's test runner)."""
    obj = click.get_current_context().find_root().obj or {}
    return bool(obj.get("program"))


def debugging() -> bool:
    obj = click.get_current_context().find_root().obj or {}
    return bool(obj.get("debug"))
