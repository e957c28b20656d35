"""The site's commands: build, serve, check, new."""

from __future__ import annotations

from datetime import datetime

import click

from kommunepartner.base.errors import KommunepartnerError, shown_path
from kommunepartner.base.schema import OSLO
from kommunepartner.build.settings import ROOT, Options
from kommunepartner.cli.options import PATH, common, debugging, options, program_run

BUILT = (
    "Built {items} items ({public} public, {partners_only} for partners;"
    " {skipped} drafts or future-dated left out) into {output}: {files} files in {seconds:.1f} s"
)


@click.command()
@common
@click.option("--output", type=PATH, help="Output folder (default: output/).")
@click.option("--state", type=PATH, help="State folder (secret, ledgers); default from settings.")
@click.option("--now", help="Build as if it were this date/time (ISO), e.g. 2026-06-01.")
def build(settings, content, partners, output, state, now):
    """Build the site into a fresh folder and swap it in when complete.

    \b
    Example:
      ./tasks.py build --now 2026-06-01 --output /tmp/site
    """
    from kommunepartner.build.build import build as run_build
    from kommunepartner.build.build import build_to_hand_over
    from kommunepartner.build.finish import exec_finish

    opts = options(settings, content, partners, output=output, state=state, now=now)
    if program_run():  # the search index and the swap in a fresh process (build/finish.py)
        handed = build_to_hand_over(opts)
        message = BUILT + "".join(f"\n{_braced(line)}" for line in _changed(handed.report))
        exec_finish(handed, message, debug=debugging())  # does not return
    report = run_build(opts)
    click.echo(BUILT.format(**vars(report)))
    for line in _changed(report):
        click.echo(line)


def _changed(report) -> tuple[str, ...]:
    """What changed state since the previous build (embargo lifted, event over, …)."""
    return report.changes.lines if report.changes else ()


def _braced(line: str) -> str:
    return line.replace("{", "{{").replace("}", "}}")


@click.command()
@common
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--output", type=PATH, help="Output folder (default: output/).")
def serve(settings, content, partners, port, output):
    """Build, serve on http://127.0.0.1:PORT and rebuild when content, theme or registry change.

    \b
    Example:
      ./tasks.py serve --port 8000
    """
    from kommunepartner.build.build import build as run_build
    from kommunepartner.build.serve import serve_forever, served_site_url

    # Canonical links, feeds and calendars name the port the preview really runs on.
    extra = served_site_url(Options(settings=settings), port)
    opts = options(settings, content, partners, output=output, extra=extra)
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


@click.command()
@common
def check(settings, content, partners):
    """Validate the registry and every content file; build nothing.

    Every problem is listed as FILE:LINE:COL: FIELD: what is wrong — what would be valid.

    \b
    Example:
      ./tasks.py check --content content --partners partners.yaml
    """
    from kommunepartner.build.build import check as run_check

    ctx = run_check(options(settings, content, partners))
    published = ctx.published()
    click.echo(
        f"OK: {len(ctx.site.items)} content files ({len(published)} to publish),"
        f" {len(ctx.registry.partners)} partners in {ctx.registry.path}"
    )


@click.command()
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
      ./tasks.py new brief "Havvind i Nordsjøen: kva må kommunane gjere?"
      (writes content/briefs/havvind-i-nordsjoen-kva-ma-kommunane-gjere.md)
    """
    from kommunepartner.content.scaffold import scaffold

    path = scaffold(kind, title, content, lang, datetime.now(OSLO))
    click.echo(f"Created {shown_path(path)} (status: draft); check it with: ./tasks.py check")
