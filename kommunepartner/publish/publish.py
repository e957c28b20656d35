"""`publish --to REMOTE`: a production build, the gates, precompressed copies, the deploy.

Nothing reaches the remote unless every gate passed: the settings are production settings,
`check` finds no problem, the build completes, and the leak sweep finds nothing private in any
file. The build's folder (public/ by default) is then what the remote is made to match.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from kommunepartner.base.config import config_from_settings
from kommunepartner.base.errors import ConfigError, InputError
from kommunepartner.build import incremental
from kommunepartner.build.build import BuildReport, build, check
from kommunepartner.build.settings import ROOT, Options, load_settings
from kommunepartner.mail.subscribers import load_subscribers, load_suppression
from kommunepartner.publish.precompress import Compressed, precompress
from kommunepartner.publish.rclone import Changes, Rclone, change_lines, deploy
from kommunepartner.publish.sweep import (
    private_texts,
    secret_strings,
    subscriber_strings,
    sweep,
)


@dataclass(frozen=True)
class Published:
    """What a publish did (or, in a dry run, would do)."""

    build: BuildReport
    compressed: Compressed
    changes: Changes
    lines: list[str]
    dry_run: bool
    seconds: float


def publish(
    options: Options,
    remote: str,
    *,
    dry_run: bool = False,
    progress: Callable[[str], None] = lambda _line: None,
    env: dict | None = None,
) -> Published:
    """Build, gate, compress and deploy; raise before anything is uploaded when a gate fails."""
    started = time.perf_counter()
    config = config_from_settings(load_settings(options))
    if not config.production:
        raise ConfigError(
            f"{options.settings.name} are not production settings (KP_PRODUCTION is not True):"
            " a published site needs its real address and secret — pass --settings"
            " publishconf.py",
            "--settings",
        )
    rclone = Rclone(remote, env)  # rclone missing: say so before building anything
    progress("checking content and partners.yaml")
    ctx = check(options)
    progress("building with the production settings")
    report = build(options)
    # In a process that built this folder before (tests, a long-lived caller) the search index
    # may still be finishing in the background: wait, so the sweep reads the final files.
    incremental.settle(report.output)
    progress("sweeping the build for anything private")
    partners_only = {k for k, a in ctx.access.items() if a.partners_only}
    private = private_texts(ctx.site.items, partners_only, ctx.published_keys, ctx.registry)
    private.append(secret_strings(ctx.secret, ctx.registry))
    subscribers = load_subscribers(config.subscribers_file)
    private.append(
        subscriber_strings(
            [s.email for s in subscribers] + [s.name for s in subscribers if s.name],
            config.subscribers_file,
        )
    )
    private.append(
        subscriber_strings(load_suppression(config.suppression_file), config.suppression_file)
    )
    problems = sweep(report.output, private)
    if problems:
        raise InputError(problems)
    progress("writing gzip and brotli copies")
    compressed = precompress(report.output)
    progress(f"comparing with {remote}")
    changes = rclone.changes(report.output)
    lines = change_lines(changes, report.output)
    if not dry_run and changes:
        deploy(rclone, report.output, changes, progress)
    return Published(report, compressed, changes, lines, dry_run, time.perf_counter() - started)


def default_output(options: Options) -> Options:
    """A publish builds into public/ (not the preview's output/) unless --output says otherwise."""
    return options if options.output else replace(options, output=ROOT / "public")
