"""Entry point of ``kompoxops``: one error path for the whole program.

Every failure ends as one ``Error: …`` line on stderr (plus the log file hint
when a log file was written) and an exit code per error category
(:class:`kompox.domain.errors.ExitCode`); a traceback only with ``--debug``.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

import click

from kompox import __version__
from kompox.cli.argv import CommandTree, GlobalFlags, UsageError, extract_global_flags, reorder_command_words
from kompox.cli.base import CONTEXT_SETTINGS, KompoxGroup
from kompox.cli.runtime import Runtime
from kompox.domain.errors import ExitCode, KompoxError, ValidationError

ROOT_HELP = """kompoxops runs stateful Docker Compose applications on managed Kubernetes.

\b
Examples:
  kompoxops init                                  # create .kompox/ here
  kompoxops app validate --out-manifest -          # print the app's Kubernetes manifest
  kompoxops -A /ws/w1/prv/aks1/cls/c1/app/app1 app deploy
  kompoxops cluster status --cluster-id /ws/w1/prv/aks1/cls/c1
  kompoxops disk list -V db --format json
"""


def build_root() -> KompoxGroup:
    from kompox.cli.commands import groups
    from kompox.cli.commands.project import init_cmd, version_cmd

    root = KompoxGroup(name="kompoxops", help=ROOT_HELP, context_settings=CONTEXT_SETTINGS)
    root.invoke_without_command = True

    @click.pass_context
    def _root(ctx: click.Context) -> None:
        if ctx.invoked_subcommand is None:
            click.echo(ctx.get_help())

    root.callback = _root
    root.params.append(
        click.Option(
            ["-v", "--version"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            help="Print the version and exit.",
            callback=_print_version,
        )
    )
    root.add_command(init_cmd)
    root.add_command(version_cmd)
    for builder in (
        groups.build_cluster,
        groups.build_app,
        groups.build_secret,
        groups.build_dns,
        groups.build_disk,
        groups.build_snapshot,
        groups.build_box,
        groups.build_admin,
    ):
        root.add_command(builder())
    from kompox.cli.commands.completion import completion_cmd
    from kompox.cli.commands.config import config_cmd

    root.add_command(config_cmd)
    root.add_command(completion_cmd)
    return root


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"kompoxops version {__version__}")
        ctx.exit(0)


def command_tree(group: click.Group) -> dict[str, CommandTree]:
    tree: dict[str, CommandTree] = {}
    for name, cmd in group.commands.items():
        tree[name] = command_tree(cmd) if isinstance(cmd, click.Group) else {}
    if isinstance(group, KompoxGroup):
        for alias, target in group.aliases.items():
            if target in tree:
                tree[alias] = tree[target]
    return tree


def boolean_flags(group: click.Command) -> set[str]:
    names = {"-h", "--help"}
    for param in group.params:
        if isinstance(param, click.Option) and param.is_flag:
            names.update(param.opts)
            names.update(param.secondary_opts)
    if isinstance(group, click.Group):
        for cmd in group.commands.values():
            names |= boolean_flags(cmd)
    return names


def _hint(rt: Runtime | None) -> None:
    if rt is not None and rt.log_path is not None:
        sys.stderr.write(f"See log file for details: {rt.log_path}\n")


def run(argv: Sequence[str]) -> int:
    """Run ``kompoxops`` with ``argv`` (without the program name); returns the exit code."""
    rt: Runtime | None = None
    flags = GlobalFlags()
    code: int = ExitCode.OK
    try:
        flags, rest = extract_global_flags(argv)
        root = build_root()
        _, ordered = reorder_command_words(rest, command_tree(root), frozenset(boolean_flags(root)))
        rt = Runtime(flags=flags, argv=list(argv), env=os.environ)
        try:
            root.main(args=ordered, prog_name="kompoxops", standalone_mode=False, obj=rt)
        except click.exceptions.Exit as done:
            code = done.exit_code
    except click.exceptions.Abort:
        sys.stderr.write("Error: interrupted\n")
        code = ExitCode.INTERRUPTED
    except click.ClickException as err:
        sys.stderr.write(f"Error: {err.format_message()}\n")
        code = ExitCode.USAGE
    except KeyboardInterrupt:
        sys.stderr.write("Error: interrupted\n")
        code = ExitCode.INTERRUPTED
    except (KompoxError, UsageError) as err:
        if flags.debug:
            traceback.print_exc()
        text = err.located() if isinstance(err, ValidationError) else str(err)
        sys.stderr.write(f"Error: {' '.join(text.splitlines())}\n")
        code = err.exit_code
        _hint(rt)
    except Exception as err:  # the last line of defence: still one line, no traceback
        if flags.debug:
            traceback.print_exc()
        sys.stderr.write(f"Error: internal error: {type(err).__name__}: {' '.join(str(err).splitlines())}\n")
        sys.stderr.write("Run again with --debug for the traceback.\n")
        code = ExitCode.FAILURE
        _hint(rt)
    finally:
        if rt is not None:
            rt.finish(int(code))
    return int(code)


def main() -> None:
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":  # pragma: no cover
    main()
