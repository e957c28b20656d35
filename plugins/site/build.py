"""One build: validate everything, run Pelican into a fresh folder, swap it in when complete."""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from plugins.core.config import config_from_settings
from plugins.core.content import load_content
from plugins.core.errors import InputError, KommunepartnerError, Problem, RunError, shown_path
from plugins.core.registry import load_registry
from plugins.site.context import KEY, BuildContext
from plugins.site.outputdir import fresh_output, guard_output
from plugins.site.settings import Options, load_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the one-line summary the CLI prints."""

    output: Path
    items: int
    public: int
    partners_only: int
    skipped: int
    files: int
    seconds: float


class _ErrorLog(logging.Handler):
    """Collects Pelican's ERROR records: Pelican logs a failed read and goes on, we stop."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            msg += f": {record.exc_info[1]}"
        self.messages.append(msg)


@contextlib.contextmanager
def _quiet_console():
    """Pelican prints its own 'Done:' line through rich; our CLI prints its own summary."""
    from pelican.log import console

    quiet = console.quiet
    console.quiet = not logging.getLogger("pelican").isEnabledFor(logging.INFO)
    try:
        yield
    finally:
        console.quiet = quiet


def prepare(options: Options) -> tuple[dict, BuildContext]:
    """Read settings, registry and content once; raise InputError listing every problem."""
    settings = load_settings(options)
    config = config_from_settings(settings)
    problems: list[Problem] = []
    registry = site = None
    try:
        registry = load_registry(config.partners_file, shown_path(config.partners_file))
    except InputError as exc:
        problems.extend(exc.problems)
    try:
        site = load_content(config.content_dir, config.project_root, config.default_lang)
    except InputError as exc:
        problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return settings, BuildContext.create(config, registry, site)


def build(options: Options) -> BuildReport:
    """Build the site into options.output; the previous output stays as it was on any failure."""
    started = time.perf_counter()
    settings, ctx = prepare(options)
    out = guard_output(
        Path(settings["OUTPUT_PATH"]), ctx.config.project_root, ctx.config.content_dir
    )
    from pelican import Pelican  # imported late: `check` and the core never need it

    with fresh_output(out) as tmp:
        settings = {**settings, "OUTPUT_PATH": str(tmp), KEY: ctx}
        errors = _ErrorLog()
        pelican_log = logging.getLogger("pelican")
        pelican_log.addHandler(errors)
        try:
            with _quiet_console():
                Pelican(settings).run()
        except KommunepartnerError:
            raise
        except Exception as exc:  # a theme or plugin bug: stop, keep the old output, say what
            raise RunError(
                f"the build stopped: {type(exc).__name__}: {exc} — the previous output is"
                " unchanged; run with --debug for the traceback"
            ) from exc
        finally:
            pelican_log.removeHandler(errors)
        if errors.messages:
            # Pelican logs a file it could not read and goes on; we stop and keep the old output.
            raise InputError([Problem("build", message=m) for m in errors.messages])
        files = sum(1 for p in tmp.rglob("*") if p.is_file())
    published = ctx.published()
    partners_only = sum(1 for i in published if ctx.access[i.key].partners_only)
    return BuildReport(
        out,
        len(published),
        len(published) - partners_only,
        partners_only,
        len(ctx.site.items) - len(published),
        files,
        time.perf_counter() - started,
    )


def check(options: Options) -> BuildContext:
    """Validate settings, registry and content; build nothing."""
    return prepare(options)[1]


__all__ = ["build", "check", "prepare", "BuildReport", "Options", "datetime"]
