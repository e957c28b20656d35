"""Reading the settings file once, with the command line's overrides."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kommunepartner.base.errors import ConfigError, InputError, Problem, shown_path
from kommunepartner.base.schema import Invalid, a_datetime

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Options:
    """What the command line can override: the contract in DESIGN.md."""

    settings: Path = ROOT / "pelicanconf.py"
    content: Path | None = None
    partners: Path | None = None
    output: Path | None = None
    state: Path | None = None
    now: str | None = None
    extra: dict = field(default_factory=dict)


def parse_now(value: str, option: str = "--now") -> datetime:
    """A date or date-time from the command line (Europe/Oslo unless it has an offset)."""
    try:
        return a_datetime(value)
    except Invalid as exc:
        raise InputError(Problem(option, message=str(exc))) from None


def load_settings(options: Options) -> dict:
    """Pelican's read_settings with our overrides; paths from the CLI are relative to the cwd."""
    from pelican.settings import read_settings

    if not options.settings.is_file():
        raise ConfigError(
            f"the settings file {options.settings} does not exist"
            " — pass --settings pelicanconf.py or publishconf.py",
            "--settings",
        )
    override: dict = {"KP_PROJECT_ROOT": str(ROOT), **options.extra}
    if options.content:
        override["PATH"] = str(options.content.resolve())
    if options.output:
        override["OUTPUT_PATH"] = str(options.output.resolve())
    if options.partners:
        override["KP_PARTNERS_FILE"] = str(options.partners.resolve())
    if options.state:
        override["KP_STATE_DIR"] = str(options.state.resolve())
    if options.now:
        override["KP_NOW"] = parse_now(options.now)
    quiet = logging.getLogger("pelican").level
    try:
        settings = read_settings(str(options.settings), override=override)
    except SyntaxError as exc:
        raise InputError(
            Problem(
                shown_path(options.settings),
                exc.lineno or 0,
                exc.offset or 1,
                "",
                f"{exc.msg} — the settings file is Python; fix the syntax on this line",
            )
        ) from exc
    except Exception as exc:  # the settings file is Python: any error in it lands here
        raise ConfigError(
            f"the settings file {options.settings.name} cannot be read: {type(exc).__name__}:"
            f" {exc} — fix it, or pass --settings with another file",
            shown_path(options.settings),
        ) from exc
    finally:
        logging.getLogger("pelican").setLevel(quiet)
    return settings
