"""``kompoxops completion SHELL``: print a shell completion script."""

from __future__ import annotations

import click

from kompox.cli.base import KompoxCommand, runtime

SHELLS = ("bash", "zsh", "fish", "powershell")


@click.command("completion", cls=KompoxCommand)
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion_cmd(ctx: click.Context, shell: str) -> None:
    """Print the completion script for SHELL (bash, zsh, fish or powershell).

    The script completes commands, flags and names from the project: app IDs
    and names, clusters, volumes, compose services, boxes and node pools
    (disk and snapshot names are known only to the provider and not completed).

    \b
    Examples:
      source <(kompoxops completion bash)
      kompoxops completion zsh > "${fpath[1]}/_kompoxops"
      kompoxops completion fish > ~/.config/fish/completions/kompoxops.fish
      kompoxops completion powershell | Out-String | Invoke-Expression
    """
    from kompox.cli.completion_shell import COMPLETE_VAR, PROG_NAME, completion_class

    root = ctx.find_root().command
    script = completion_class(shell)(root, {}, PROG_NAME, COMPLETE_VAR).source()
    runtime(ctx).out(script + "\n")
