#!/usr/bin/env python3
"""Kommunepartner's command line: build, serve, check, new, partners, newsletter.

Each command is a few lines that call one function of plugins.site or plugins.core.
Exit codes: 0 success, 1 a run that failed, 2 bad input (the message names file:line).
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import click  # noqa: E402

from plugins.core import registry as reg  # noqa: E402
from plugins.core.errors import KommunepartnerError, error_lines, shown_path  # noqa: E402
from plugins.core.schema import OSLO  # noqa: E402
from plugins.site.settings import Options  # noqa: E402

PATH = click.Path(path_type=Path)
# Run as a program (not through click's test runner): `build` hands its last step, the search
# index and the swap, to a fresh process (plugins/site/finish.py), so Pagefind never runs beside
# the memory of the rendering process.
HAND_OVER = False
BUILT = (
    "Built {items} items ({public} public, {partners_only} for partners;"
    " {skipped} drafts or future-dated left out) into {output}: {files} files in {seconds:.1f} s"
)


class Main(click.Group):
    """Turns our errors into one message per problem and an exit code, in one place."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KommunepartnerError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            for line in error_lines(exc):
                click.echo(line, err=True)
            ctx.exit(exc.exit_code)


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


def options(settings, content, partners, **more) -> Options:
    return Options(settings=settings, content=content, partners=partners, **more)


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks (for developers).")
@click.option("-v", "--verbose", is_flag=True, help="Show Pelican's own log.")
@click.pass_context
def main(ctx, debug, verbose):
    """Kommunepartner: publish briefs, Perspektiv and events for Initiativ Vest.

    \b
    Example:
      python tasks.py check
      python tasks.py build --output output
    """
    ctx.obj = {"debug": debug}
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )
    logging.getLogger("pelican").setLevel(logging.INFO if verbose else logging.CRITICAL)


@main.command()
@common
@click.option("--output", type=PATH, help="Output folder (default: output/).")
@click.option("--state", type=PATH, help="State folder (secret, ledgers); default from settings.")
@click.option("--now", help="Build as if it were this date/time (ISO), e.g. 2026-06-01.")
def build(settings, content, partners, output, state, now):
    """Build the site into a fresh folder and swap it in when complete.

    \b
    Example:
      python tasks.py build --now 2026-06-01 --output /tmp/site
    """
    from plugins.site.build import build as run_build
    from plugins.site.build import build_to_hand_over
    from plugins.site.finish import exec_finish

    opts = options(settings, content, partners, output=output, state=state, now=now)
    if HAND_OVER:
        debug = bool((click.get_current_context().find_root().obj or {}).get("debug"))
        exec_finish(build_to_hand_over(opts), BUILT, debug=debug)  # does not return
    click.echo(BUILT.format(**vars(run_build(opts))))


@main.command()
@common
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--output", type=PATH, help="Output folder (default: output/).")
def serve(settings, content, partners, port, output):
    """Build, serve on http://127.0.0.1:PORT and rebuild when content, theme or registry change.

    \b
    Example:
      python tasks.py serve --port 8000
    """
    from plugins.site.build import build as run_build
    from plugins.site.serve import serve_forever

    opts = options(settings, content, partners, output=output)
    report = run_build(opts)
    click.echo(f"Serving {report.output} on http://127.0.0.1:{port}/ — Ctrl-C stops.")

    def rebuild():
        try:
            r = run_build(opts)
            click.echo(f"Rebuilt {r.items} items in {r.seconds:.1f} s")
        except KommunepartnerError as exc:
            click.echo(f"Not rebuilt; the previous version is still served:\n{exc}", err=True)

    watch = [
        content or ROOT / "content",
        ROOT / "themes",
        partners or ROOT / "partners.yaml",
        settings,
    ]
    serve_forever(report.output, port, watch, rebuild)


@main.command()
@common
def check(settings, content, partners):
    """Validate the registry and every content file; build nothing.

    Every problem is listed as FILE:LINE:COL: FIELD: what is wrong — what would be valid.

    \b
    Example:
      python tasks.py check --content content --partners partners.yaml
    """
    from plugins.site.build import check as run_check

    ctx = run_check(options(settings, content, partners))
    published = ctx.published()
    click.echo(
        f"OK: {len(ctx.site.items)} content files ({len(published)} to publish),"
        f" {len(ctx.registry.partners)} partners in {ctx.registry.path}"
    )


@main.command()
@click.argument("kind", type=click.Choice(["brief", "newsletter", "event", "page"]))
@click.argument("title")
@click.option(
    "--content",
    type=PATH,
    default=ROOT / "content",
    show_default="content/",
    help="Content folder.",
)
@click.option(
    "--lang",
    type=click.Choice(["nn", "nb"]),
    default="nn",
    show_default=True,
    help="Written standard: nn (nynorsk) or nb (bokmål).",
)
def new(kind, title, content, lang):
    """Start a new content file with a valid front-matter skeleton, named after the title.

    The file name is the title in lower case with æ/ø/å written ae/o/a; an existing file is
    never overwritten. The new file is a draft until you delete its `status: draft` line.

    \b
    Example:
      python tasks.py new brief "Havvind i Nordsjøen: kva må kommunane gjere?"
      (writes content/briefs/havvind-i-nordsjoen-kva-ma-kommunane-gjere.md)
    """
    from plugins.core.scaffold import scaffold

    path = scaffold(kind, title, content, lang, datetime.now(OSLO))
    click.echo(f"Created {shown_path(path)} (status: draft); check it with: python tasks.py check")


@main.group()
def partners():
    """The partner registry (partners.yaml): list, check, unlock links, report.

    \b
    Example:
      python tasks.py partners check
      python tasks.py partners list --on 2026-06-01
    """


@partners.command("list")
@common
@click.option("--on", "on", help="Good standing on this date (default: today).")
def partners_list(settings, content, partners, on):
    """List every partner with status, period, fee and målform.

    \b
    Example:
      python tasks.py partners list --on 2026-06-01
    """
    from plugins.site.settings import parse_now

    registry = _registry(settings, partners)
    day = parse_now(on, "--on").date() if on else datetime.now(OSLO).date()
    rows = [
        ("id", "name", "fylke", "status", "period", f"ok {day}", "fee NOK", "målform", "contacts")
    ]
    for p in registry.partners:
        period = f"{p.since or '…'}–{p.until or '…'}" if p.since or p.until else "-"
        rows.append(
            (
                p.id,
                p.name,
                p.org.fylke,
                p.status,
                period,
                "yes" if p.in_good_standing(day) else "no",
                f"{registry.fee_for(p.org.population):,}".replace(",", " "),
                p.malform,
                str(len(p.contacts)),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    click.echo(
        f"{len(registry.in_good_standing(day))} of {len(registry.partners)} in good standing on {day}"
    )


@partners.command("check")
@common
def partners_check(settings, content, partners):
    """Validate partners.yaml only; every problem as FILE:LINE:COL: FIELD: what is wrong.

    \b
    Example:
      python tasks.py partners check --partners partners.yaml
    """
    registry = _registry(settings, partners)
    click.echo(
        f"OK: {len(registry.partners)} partners, {len(registry.fee_tiers)} fee tiers in {registry.path}"
    )


@partners.command("links")
@common
@click.option("--partner", "partner_id", help="Only this partner's link (its kommunenummer).")
@click.option("--page", default="", help="The page the link opens, e.g. notat/havvind/.")
@click.option("--on", "on", help="Good standing on this date (default: today).")
def partners_links(settings, content, partners, partner_id, page, on):
    """Print the unlock link of each partner in good standing (send each only to its partner).

    \b
    Example:
      python tasks.py partners links --partner 4601
      KOMMUNEPARTNER_SECRET=... python tasks.py partners links --settings publishconf.py
    """
    from plugins.site.links import partner_links
    from plugins.site.settings import parse_now

    day = parse_now(on).date() if on else datetime.now(OSLO).date()
    links = partner_links(options(settings, content, partners), day, partner_id, page)
    for link in links:
        click.echo(
            link.url if partner_id else f"{link.partner.id}  {link.partner.name}  {link.url}"
        )
    click.echo(f"{len(links)} unlock links for partners in good standing on {day}", err=True)


@main.group()
def newsletter():
    """Perspektiv by email: render an issue's editions; send it; follow the delivery.

    \b
    Example:
      python tasks.py newsletter render perspektiv-3 --edition public --out preview/public
      python tasks.py newsletter send perspektiv-3
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
      python tasks.py newsletter render perspektiv-1 --edition partner --out preview/partner
    """
    from plugins.site.newsletter import render_preview

    p = render_preview(options(settings, content, partners, now=now), slug, edition, lang, out)
    r = p.recipient
    click.echo(
        f"{p.subject}\n{edition} edition, {r.lang}, for the sample reader {r.name} <{r.email}>"
        f"{f' of {r.organisation}' if r.organisation else ''}: {p.html_bytes / 1024:.1f} KB of"
        f" HTML (budget 100 KB)\nWrote {shown_path(p.html)}, {shown_path(p.text)}, {shown_path(p.eml)}"
    )


def _state_options(f):
    f = click.option("--state", type=PATH, help="State folder (ledger, suppression list).")(f)
    return click.option(
        "--settings", type=PATH, default=ROOT / "pelicanconf.py", show_default="pelicanconf.py"
    )(f)


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
def newsletter_send(
    settings, content, partners, slug, dry_run, smtp, to, rate, connections, state, out, now
):
    """Plan an issue's recipients and write the outbox (dry run), or send it with --smtp.

    The SMTP password comes from $KOMMUNEPARTNER_SMTP_PASSWORD. A send can be stopped and
    started again: the ledger skips everyone already delivered.

    \b
    Example:
      python tasks.py newsletter send perspektiv-1
      KOMMUNEPARTNER_SMTP_PASSWORD=... python tasks.py newsletter send perspektiv-1 \\
          --smtp smtp+starttls://perspektiv@smtp.example.org:587 --rate 10 --connections 2
    """
    import os

    from plugins.core.errors import ConfigError, RunError
    from plugins.core.mailer import PASSWORD_ENV
    from plugins.site import sending

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
    bar = _Progress("Sending")
    try:
        summary = sending.send_issue(
            prepared,
            smtp,
            os.environ.get(PASSWORD_ENV),
            connections=connections,
            rate=rate,
            only=only,
            progress=bar,
        )
    finally:
        bar.close()
    for line in sending.summary_lines(summary):
        click.echo(line)
    if summary.not_delivered:
        raise RunError(f"{len(summary.not_delivered)} of {summary.total} not delivered (above)")


@newsletter.command("status")
@click.argument("slug")
@_state_options
def newsletter_status(slug, settings, state):
    """Show the send ledger of an issue: counts per state and every address not delivered.

    \b
    Example:
      python tasks.py newsletter status perspektiv-1
    """
    from plugins.site.sending import issue_status, status_lines

    for line in status_lines(issue_status(Options(settings=settings, state=state), slug)):
        click.echo(line)


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


@main.group()
def subscribers():
    """Public subscribers and the suppression list (unsubscribed, bounced).

    \b
    Example:
      python tasks.py subscribers unsubscribe ola@example.org
    """


def _suppression_file(settings, state) -> Path:
    from plugins.core.config import config_from_settings
    from plugins.site.settings import load_settings

    config = config_from_settings(load_settings(Options(settings=settings, state=state)))
    return config.suppression_file


@subscribers.command("unsubscribe")
@click.argument("address")
@_state_options
def subscribers_unsubscribe(address, settings, state):
    """Add ADDRESS to the suppression list: it never gets mail again.

    \b
    Example:
      python tasks.py subscribers unsubscribe kari.nordmann@example.org
    """
    from plugins.core.subscribers import unsubscribe

    path = _suppression_file(settings, state)
    added = unsubscribe(path, address, datetime.now(OSLO))
    click.echo(f"{address} {'added to' if added else 'was already on'} {shown_path(path)}")


@subscribers.command("import")
@click.argument("file", type=PATH)
@_state_options
def subscribers_import(file, settings, state):
    """Add every address in FILE (one per line, or a CSV with an email column) to the
    suppression list, e.g. unsubscribes or bounces from another system.

    \b
    Example:
      python tasks.py subscribers import bounces.csv
    """
    from plugins.core.subscribers import import_suppressions

    path = _suppression_file(settings, state)
    added, known = import_suppressions(path, file, datetime.now(OSLO))
    click.echo(f"{added} added to {shown_path(path)}; {known} were already there")


def _registry(settings, partners) -> reg.Registry:
    from plugins.core.config import config_from_settings
    from plugins.site.settings import load_settings

    config = config_from_settings(load_settings(Options(settings=settings, partners=partners)))
    return reg.load_registry(config.partners_file, shown_path(config.partners_file))


if __name__ == "__main__":
    HAND_OVER = True
    main()
