"""``kompoxops completion SHELL``: print a shell completion script."""

from __future__ import annotations

import click

from kompox.cli.base import KompoxCommand, runtime

SHELLS = ("bash", "zsh", "fish")


@click.command("completion", cls=KompoxCommand)
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion_cmd(ctx: click.Context, shell: str) -> None:
    """Print the completion script for SHELL (bash, zsh or fish).

    \b
    Examples:
      source <(kompoxops completion bash)
      kompoxops completion fish > ~/.config/fish/completions/kompoxops.fish
    """
    from click.shell_completion import get_completion_class

    root = ctx.find_root().command
    cls = get_completion_class(shell)
    if cls is None:  # pragma: no cover - Choice guards this
        raise click.BadParameter(f"unsupported shell {shell}")
    runtime(ctx).out(cls(root, {}, "kompoxops", "_KOMPOXOPS_COMPLETE").source() + "\n")
