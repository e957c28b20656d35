"""The command line (click) that tasks.py runs: one module per command group.

Each command is a few lines that call one function of kommunepartner.build or .commands.
Exit codes: 0 success, 1 a run that failed, 2 bad input (the message names file:line).
"""

from __future__ import annotations

import logging

import click

from kommunepartner.base.errors import KommunepartnerError, error_lines
from kommunepartner.cli import hosting, newsletter, partners, publish, site, state, subscribers


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


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks (for developers).")
@click.option("-v", "--verbose", is_flag=True, help="Show Pelican's own log.")
@click.pass_context
def main(ctx, debug, verbose):
    """Kommunepartner: publish briefs, Perspektiv and events for Initiativ Vest.

    \b
    Example:
      ./tasks.py check
      ./tasks.py build --output output
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )
    logging.getLogger("pelican").setLevel(logging.INFO if verbose else logging.CRITICAL)


for command in (site.build, site.serve, site.check, site.new):
    main.add_command(command)
main.add_command(partners.partners)
main.add_command(newsletter.newsletter)
main.add_command(subscribers.subscribers)
main.add_command(publish.publish)
main.add_command(hosting.hosting)
main.add_command(state.state)
