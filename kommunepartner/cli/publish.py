"""`publish`: build with the production settings, pass the gates, deploy with rclone."""

from __future__ import annotations

import click

from kommunepartner.build.settings import ROOT
from kommunepartner.cli.options import PATH, options


@click.command()
@click.option(
    "--to", "remote", required=True, metavar="REMOTE", help="Any rclone remote or folder."
)
@click.option(
    "--dry-run", is_flag=True, help="List what would be uploaded and deleted; send nothing."
)
@click.option(
    "--settings",
    type=PATH,
    default=ROOT / "publishconf.py",
    show_default="publishconf.py",
    help="Production settings (KP_PRODUCTION = True).",
)
@click.option("--content", type=PATH, help="Content folder (default: content/).")
@click.option("--partners", type=PATH, help="Partner registry (default: partners.yaml).")
@click.option("--output", type=PATH, help="Build folder (default: public/).")
@click.option(
    "--state", type=PATH, help="State folder (secret, subscribers); default from settings."
)
@click.option("--now", help="Build as if it were this date/time (ISO).")
def publish(remote, dry_run, settings, content, partners, output, state, now):
    """Build the site with the production settings and make REMOTE match it.

    Gates, in order (any failure stops before anything is uploaded): production settings,
    `check`, the build, and the leak sweep (no partners-only, unpublished or personal text in
    any file). Then every text file gets .gz and .br copies, and rclone uploads what pages name,
    the pages, then feeds and the sitemap, and deletes stale files last. Files are compared by
    hash, so publishing an unchanged site uploads nothing.

    \b
    Example:
      ./tasks.py publish --to kommunepartner:/var/www/kommunepartner --dry-run
      ./tasks.py publish --to /srv/www/kommunepartner
    (with $KOMMUNEPARTNER_SECRET set, and the remote made with `rclone config`)
    """
    from kommunepartner.publish.publish import default_output
    from kommunepartner.publish.publish import publish as run_publish

    opts = default_output(options(settings, content, partners, output=output, state=state, now=now))
    done = run_publish(
        opts, remote, dry_run=dry_run, progress=lambda line: click.echo(f"… {line}", err=True)
    )
    b, c, ch = done.build, done.compressed, done.changes
    click.echo(
        f"Built {b.items} items ({b.partners_only} for partners) into {b.output}: {b.files} files;"
        f" {c.copies} compressed copies ({c.plain_bytes / 1024:.0f} KB of text,"
        f" {c.brotli_bytes / 1024:.0f} KB as brotli)"
    )
    verb = ("would upload", "would delete") if dry_run else ("uploaded", "deleted")
    for line in done.lines:
        click.echo(line)
    click.echo(
        f"{'Dry run: ' if dry_run else ''}{verb[0]} {len(ch.uploads)} files, {verb[1]}"
        f" {len(ch.stale)}, {ch.same} unchanged, to {remote} in {done.seconds:.1f} s"
    )
