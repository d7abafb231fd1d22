"""``kompoxops config``: summarise a legacy ``kompoxops.yml`` (cli.md §10.3)."""

from __future__ import annotations

import click

from kompox.cli.base import KompoxCommand, runtime


@click.command("config", cls=KompoxCommand)
@click.option("-f", "--file", "file_", default="kompoxops.yml", show_default=True, help="Legacy configuration file.")
def config_cmd(file_: str) -> None:
    """Load a legacy kompoxops.yml and print a one-line summary.

    \b
    Examples:
      kompoxops config
      kompoxops config -f legacy/kompoxops.yml
    """
    from kompox.kom.legacy import config_summary_line, load_legacy_file

    rt = runtime(click.get_current_context())
    rt.prerun()
    rt.out(config_summary_line(load_legacy_file(file_, rt.require_kom().cwd)) + "\n")
