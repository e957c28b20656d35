"""Perspektiv by email: render an issue, send it, follow its delivery."""

from __future__ import annotations

import sys

import click

from kommunepartner.base.errors import shown_path
from kommunepartner.build.settings import ROOT, Options
from kommunepartner.cli.options import PATH, common, options, state_options


@click.group()
def newsletter():
    """Perspektiv by email: render an issue's editions; send it; follow the delivery.

    \b
    Example:
      ./tasks.py newsletter render perspektiv-3 --edition public --out preview/public
      ./tasks.py newsletter send perspektiv-3
    """


@newsletter.command("render")
@common
@click.argument("slug")
@click.option(
    "--edition", type=click.Choice(["partner", "public"]), default="public", show_default=True
)
@click.option(
    "--lang", type=click.Choice(["nn", "nb"]), help="Default: as a recipient would get it."
)
@click.option("--out", type=PATH, default=ROOT / "preview", show_default="preview/")
@click.option("--now", help="Decide access as on this date/time (ISO), e.g. 2026-06-01.")
def newsletter_render(settings, content, partners, slug, edition, lang, out, now):
    """Write one edition as email.html, email.txt and a sample email.eml into --out.

    \b
    Example:
      ./tasks.py newsletter render perspektiv-1 --edition partner --out preview/partner
    """
    from kommunepartner.commands.newsletter import render_preview

    p = render_preview(options(settings, content, partners, now=now), slug, edition, lang, out)
    r = p.recipient
    click.echo(
        f"{p.subject}\n{edition} edition, {r.lang}, for the sample reader {r.name} <{r.email}>"
        f"{f' of {r.organisation}' if r.organisation else ''}: {p.html_bytes / 1024:.1f} KB of"
        f" HTML (budget 100 KB)\nWrote {shown_path(p.html)}, {shown_path(p.text)}, {shown_path(p.eml)}"
    )


@newsletter.command("send")
@common
@click.argument("slug")
@click.option("--dry-run", is_flag=True, help="Plan and write the outbox only (the default).")
@click.option("--smtp", metavar="URL", help="Send: smtp+starttls://user@host:587, smtps://…")
@click.option("--to", metavar="ADDRESS", help="Send both editions to this one address, as a test.")
@click.option("--rate", type=click.FloatRange(min=0.01), help="At most N messages per second.")
@click.option("--connections", type=click.IntRange(1, 50), default=1, show_default=True)
@click.option("--state", type=PATH, help="State folder (ledger, suppression list).")
@click.option("--out", type=PATH, help="Dry-run folder (default: outbox/SLUG/).")
@click.option("--now", help="Plan as on this date (ISO): who is a partner in good standing.")
@click.option(
    "--yes", is_flag=True, help="Send without asking (no terminal, e.g. a scheduled job)."
)
def newsletter_send(
    settings, content, partners, slug, dry_run, smtp, to, rate, connections, state, out, now, yes
):
    """Plan an issue's recipients and write the outbox (dry run), or send it with --smtp.

    The SMTP password comes from $KOMMUNEPARTNER_SMTP_PASSWORD. A send can be stopped and
    started again: the ledger (kept per site address) skips everyone already delivered.
    A send to readers prints its plan and asks first (--yes answers for you). Development
    settings send only to a mail catcher on this machine, or with --to; --to sends test
    copies marked [TEST], with a key that opens nothing.

    \b
    Example:
      ./tasks.py newsletter send perspektiv-1
      KOMMUNEPARTNER_SMTP_PASSWORD=... ./tasks.py newsletter send perspektiv-1 \\
          --smtp smtp+starttls://perspektiv@smtp.example.org:587 --rate 10 --connections 2
    """
    import os

    from kommunepartner.base.errors import ConfigError
    from kommunepartner.commands import sending
    from kommunepartner.mail.mailer import PASSWORD_ENV

    if dry_run and smtp:
        raise ConfigError("give either --dry-run or --smtp URL, not both", "--dry-run")
    prepared = sending.prepare_send(
        options(settings, content, partners, state=state, now=now), slug
    )
    only = sending.proof_recipients(prepared, to) if to else None
    if not smtp:
        folder = out or prepared.config.project_root / "outbox" / slug
        for line in [] if only else sending.plan_lines(prepared.plan):
            click.echo(line)
        n = sending.write_outbox(prepared, folder, only)
        click.echo(f"Dry run: wrote {n} .eml files and {slug}.mbox into {shown_path(folder)}")
        return
    sending.preflight(prepared, smtp, os.environ.get(PASSWORD_ENV), test=bool(only))
    if not only:
        _confirm(sending.confirmation_lines(prepared, smtp), yes)
    with_progress(
        "Sending",
        lambda bar: sending.send_issue(
            prepared,
            smtp,
            os.environ.get(PASSWORD_ENV),
            connections=connections,
            rate=rate,
            only=only,
            progress=bar,
        ),
    )


def with_progress(label: str, run) -> None:
    """Run a send with a progress bar, print its summary; exit 1 when anyone was missed."""
    from kommunepartner.base.errors import RunError
    from kommunepartner.commands.sending import summary_lines

    bar = _Progress(label)
    try:
        summary = run(bar)
    finally:
        bar.close()
    for line in summary_lines(summary):
        click.echo(line)
    if summary.not_delivered:
        raise RunError(f"{len(summary.not_delivered)} of {summary.total} not delivered (above)")


@newsletter.command("status")
@click.argument("slug")
@state_options
def newsletter_status(slug, settings, state):
    """Show the send ledger of an issue: counts per state and every address not delivered.

    \b
    Example:
      ./tasks.py newsletter status perspektiv-1
    """
    from kommunepartner.commands.sending import issue_status, status_lines

    for line in status_lines(issue_status(Options(settings=settings, state=state), slug)):
        click.echo(line)


def _confirm(plan: list[str], yes: bool) -> None:
    """Show the plan; go on only when confirmed on a terminal, or with --yes."""
    from kommunepartner.base.errors import ConfigError

    for line in plan:
        click.echo(line)
    if yes:
        return
    if not sys.stdin.isatty():
        raise ConfigError(
            "no terminal to confirm the send on — check the plan above (a dry run shows every"
            " message) and pass --yes to send",
            "--yes",
        )
    if not click.confirm("Send now?", default=False):
        raise click.Abort()


class _Progress:
    """A progress bar on stderr, made when the mailer knows how many messages there are."""

    def __init__(self, label: str):
        self.label, self.bar = label, None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None and total:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        if self.bar is not None:
            self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
