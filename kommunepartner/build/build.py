"""One build: validate everything, run Pelican into a fresh folder, swap it in when complete."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from kommunepartner.base.config import config_from_settings
from kommunepartner.base.errors import (
    ConfigError,
    InputError,
    KommunepartnerError,
    Problem,
    RunError,
    shown_path,
)
from kommunepartner.base.schema import did_you_mean
from kommunepartner.build import incremental
from kommunepartner.build.changes import StateChanges, state_changes
from kommunepartner.build.context import KEY, ONE_SHOT, BuildContext, RegistryMemo
from kommunepartner.build.outputdir import Unfinished, guard_output
from kommunepartner.build.settings import Options, load_settings
from kommunepartner.content.items import ParseMemo, Site, load_content
from kommunepartner.outputs.searchindex import LATER, IndexJob

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
    changes: StateChanges | None = None  # what changed state since the previous build


class _ErrorLog(logging.Handler):
    """Collects Pelican's ERROR records: Pelican logs a failed read and goes on, we stop."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        # Pelican logs "Could not process X" from its except block without exc_info (unless
        # DEBUG): the exception being handled is still the cause, so say it.
        exc = record.exc_info[1] if record.exc_info else sys.exc_info()[1]
        if exc is not None:
            msg += f": {exc}"
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


@contextlib.contextmanager
def _pelican_errors():
    """Collect Pelican's ERROR records even while its log is silenced (the CLI without -v).

    A logger drops a record below its level before any handler sees it, so a silenced
    ("pelican" at CRITICAL) build would skip a file it could not process and report success.
    While the build runs the level is at most ERROR; what the console should not show stays
    off it by not propagating.
    """
    log_ = logging.getLogger("pelican")
    errors = _ErrorLog()
    level, propagate = log_.level, log_.propagate
    silenced = not log_.isEnabledFor(logging.ERROR)
    log_.addHandler(errors)
    if silenced:
        log_.setLevel(logging.ERROR)
        log_.propagate = False
    try:
        yield errors
    finally:
        log_.removeHandler(errors)
        log_.setLevel(level)
        log_.propagate = propagate


# A preview server rebuilds in one process: files whose bytes did not change are not re-validated.
_PARSED = ParseMemo()
_REGISTRY = RegistryMemo()  # nor is partners.yaml while its text is the same


def prepare(options: Options, settings: dict | None = None) -> tuple[dict, BuildContext]:
    """Read settings, registry and content once; raise InputError listing every problem."""
    settings = settings or load_settings(options)
    config = config_from_settings(settings)
    problems: list[Problem] = []
    registry = site = None
    try:
        registry = _REGISTRY.load(config.partners_file, shown_path(config.partners_file))
    except InputError as exc:
        problems.extend(exc.problems)
    try:
        site = load_content(config.content_dir, config.project_root, config.default_lang, _PARSED)
        problems.extend(_missing_templates(settings, site))
    except InputError as exc:
        problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return settings, BuildContext.create(config, registry, site)


def _missing_templates(settings: dict, site: Site) -> list[Problem]:
    """A page's `template:` must exist in the theme; Pelican would only stop halfway."""
    folders = [Path(settings["THEME"]) / "templates"]
    folders += [Path(f) for f in settings.get("THEME_TEMPLATES_OVERRIDES", [])]
    known = sorted({p.stem for f in folders if f.is_dir() for p in f.glob("*.html")})
    out = []
    for item in site.items:
        name = item.meta.get("template")
        if name and name not in known:
            out.append(
                Problem(
                    item.path,
                    *item.at("template"),
                    "template",
                    f"'{name}' is not a template of the theme{did_you_mean(name, known)}",
                )
            )
    return out


@dataclass(frozen=True)
class HandOver:
    """A complete build not yet swapped in, with the search index still to write.

    `kommunepartner.build.finish` ends it in a fresh process started by `exec`, so Pagefind never runs
    beside this process's memory (for 1,000 briefs about 115 MB next to Pagefind's 175 MB).
    """

    unfinished: Unfinished
    index: tuple[IndexJob, ...]
    report: BuildReport  # `files` and `seconds` as of now; the successor adds its own


def build(options: Options) -> BuildReport:
    """Build the site into options.output; the previous output stays as it was on any failure."""
    started = time.perf_counter()
    plan, ctx, unfinished, report = _render(options, None)
    unfinished.swap_in(lambda: incremental.swapped_in(plan, ctx), later=plan.fast)
    if report.changes is not None:
        report.changes.remember()
    if plan.fast:
        log.info(
            "preview rebuild: %d pages linked from the previous build, %d rendered",
            plan.reused,
            plan.rendered,
        )
    return replace(report, seconds=time.perf_counter() - started)


def build_to_hand_over(options: Options) -> HandOver:
    """Render the site, holding the output's lock, and leave the search index and the swap to
    another process (`kommunepartner.build.finish`). For a one-shot build: nothing is remembered here."""
    later: list[IndexJob] = []
    _plan, _ctx, unfinished, report = _render(options, later)
    return HandOver(unfinished, tuple(later), report)


def _render(
    options: Options, later: list[IndexJob] | None
) -> tuple[incremental.Plan, BuildContext, Unfinished, BuildReport]:
    """Validate, then run Pelican into a fresh folder beside the output; nothing is swapped yet.

    With `later`, the search index is not written but its job left in that list.
    """
    started = time.perf_counter()
    settings = load_settings(options)
    config = config_from_settings(settings)
    # A dangerous output folder is refused before anything else is read or written.
    out = guard_output(Path(settings["OUTPUT_PATH"]), config.project_root, config.content_dir)
    incremental.supersede(out)  # a search index still running for the previous build stops
    settings, ctx = prepare(options, settings)
    if later is not None:
        # Positions only place validation problems, and this process validates nothing more.
        for item in ctx.site.items:
            item.positions = {}
    from pelican import Pelican  # imported late: `check` and the core never need it

    settings = {**settings, "PLUGINS": plugin_modules(settings)}
    # A preview rebuild in the same process copies the pages its edit cannot have changed.
    plan = incremental.plan(out, settings, ctx)
    unfinished = Unfinished.begin(out)
    try:
        tmp = unfinished.tmp
        settings = {**settings, "OUTPUT_PATH": str(tmp), KEY: ctx, incremental.PLAN: plan}
        if later is not None:  # handed over: this process ends with this build
            settings[LATER] = later
            settings[ONE_SHOT] = True
        try:
            with _quiet_console(), _pelican_errors() as errors:
                Pelican(settings).run()
        except KommunepartnerError:
            raise
        except Exception as exc:  # a theme or plugin bug: stop, keep the old output, say what
            raise RunError(
                f"the build stopped: {type(exc).__name__}: {exc} — the previous output is"
                " unchanged; run with --debug for the traceback"
            ) from exc
        if errors.messages:
            # Pelican logs a file it could not read and goes on; we stop and keep the old output.
            raise InputError([Problem("build", message=m) for m in errors.messages])
        files = sum(len(names) for _root, _dirs, names in os.walk(tmp))
    except BaseException:
        _drop(plan)
        unfinished.abandon()
        raise
    published = ctx.published()
    partners_only = sum(1 for i in published if ctx.access[i.key].partners_only)
    report = BuildReport(
        out,
        len(published),
        len(published) - partners_only,
        partners_only,
        len(ctx.site.items) - len(published),
        files,
        time.perf_counter() - started,
        state_changes(ctx, out),
    )
    return plan, ctx, unfinished, report


def plugin_modules(settings: dict) -> list:
    """The settings' PLUGINS as imported modules, so Pelican takes ours and not a `plugins/`
    folder of the current directory (Pelican puts the current directory first on the path).

    Names are imported as Pelican would (PLUGIN_PATHS first), but before Pelican starts.
    """
    from pelican.plugins._utils import load_legacy_plugin

    modules = []
    for name in settings.get("PLUGINS") or []:
        if not isinstance(name, str):
            modules.append(name)
            continue
        try:
            modules.append(load_legacy_plugin(name, settings.get("PLUGIN_PATHS") or []))
        except ImportError as exc:
            raise ConfigError(
                f"the plugin '{name}' cannot be imported ({exc}) — check its name, and that"
                " the project is installed (make serve or make test run pip install -e .)",
                "PLUGINS",
            ) from exc
    return modules


def _drop(plan: incremental.Plan) -> None:
    """The build failed: the work it meant to start after the swap is dropped."""
    for job in plan.after_swap:
        job.cancel()


def check(options: Options) -> BuildContext:
    """Validate settings, registry and content; build nothing."""
    return prepare(options)[1]


__all__ = ["build", "build_to_hand_over", "check", "prepare", "BuildReport", "HandOver", "Options"]
