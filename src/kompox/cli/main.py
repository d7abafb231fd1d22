"""Entry point of ``kompoxops``: one error path for the whole program.

Every failure ends as one ``Error: …`` line on stderr (plus the log file hint
when a log file was written) and an exit code per error category
(:class:`kompox.domain.errors.ExitCode`); a traceback only with ``--debug``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

import click
from click.shell_completion import CompletionItem

from kompox import __version__
from kompox.cli.argv import CommandTree, GlobalFlags, UsageError, extract_global_flags, reorder_command_words
from kompox.cli.base import CONTEXT_SETTINGS, KompoxGroup, runtime
from kompox.cli.completion_sources import attach_completers
from kompox.cli.quick import ROOT_COMMANDS, ROOT_HELP
from kompox.cli.runtime import Runtime
from kompox.domain.errors import ExitCode, KompoxError, ValidationError


class RootGroup(KompoxGroup):
    """The root: sub-commands are imported and built only when used (fast ``--help``)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(ROOT_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return load_root_command(cmd_name)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """Command names with their help from :data:`ROOT_COMMANDS`, without importing every command."""
        names = [
            CompletionItem(name, help=ROOT_COMMANDS[name][2])
            for name in sorted(ROOT_COMMANDS)
            if name.startswith(incomplete)
        ]
        return names + click.Command.shell_complete(self, ctx, incomplete)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, ROOT_COMMANDS[name][2]) for name in sorted(ROOT_COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def load_root_command(name: str) -> click.Command | None:
    entry = ROOT_COMMANDS.get(name)
    if entry is None:
        return None
    import importlib

    module, attr, _ = entry
    obj = getattr(importlib.import_module(module), attr)
    cmd = obj if isinstance(obj, click.Command) else obj()
    assert isinstance(cmd, click.Command)
    attach_completers(cmd)
    return cmd


def build_root() -> RootGroup:
    root = RootGroup(name="kompoxops", help=ROOT_HELP, context_settings=CONTEXT_SETTINGS)
    root.invoke_without_command = True

    @click.pass_context
    def _root(ctx: click.Context) -> None:
        if ctx.invoked_subcommand is None:
            runtime(ctx).out(ctx.get_help() + "\n")

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
    return root


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        runtime(ctx).out(f"kompoxops version {__version__}\n")
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


def routing_group(argv: Sequence[str]) -> click.Group:
    """A group holding only the root command that ``argv`` names (or all of them, for completion)."""
    view = click.Group(name="kompoxops")
    names = [w for w in argv if w in ROOT_COMMANDS and not w.startswith("-")]
    for name in names[:1]:
        cmd = load_root_command(name)
        if cmd is not None:
            view.add_command(cmd, name)
    return view


def _print_traceback() -> None:
    import traceback

    traceback.print_exc()


def _hint(rt: Runtime | None, errors: TextIO) -> None:
    if rt is not None and rt.log_path is not None:
        errors.write(f"See log file for details: {rt.log_path}\n")


def run(
    argv: Sequence[str],
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run ``kompoxops`` with ``argv`` (without the program name); returns the exit code.

    The streams default to the process's; tests pass their own buffers.
    """
    instruction = os.environ.get("_KOMPOXOPS_COMPLETE")
    if instruction:  # a shell asking for completion candidates: never click's own handling
        from kompox.cli.completion_shell import shell_complete

        return shell_complete(instruction, stdout)
    rt: Runtime | None = None
    flags = GlobalFlags()
    code: int = ExitCode.OK
    errors = stderr or sys.stderr
    try:
        flags, rest = extract_global_flags(argv)
        root = build_root()
        view = routing_group(rest)
        _, ordered = reorder_command_words(rest, command_tree(view), frozenset(boolean_flags(view)))
        rt = Runtime(
            flags=flags,
            argv=list(argv),
            env=os.environ,
            stdin=stdin or sys.stdin,
            stdout=stdout or sys.stdout,
            stderr=errors,
        )
        try:
            root.main(args=ordered, prog_name="kompoxops", standalone_mode=False, obj=rt)
        except click.exceptions.Exit as done:
            code = done.exit_code
        except SystemExit as done:  # a propagated child or remote exit code (app exec, app kubectl)
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else ExitCode.FAILURE)
    except click.exceptions.Abort:
        errors.write("Error: interrupted\n")
        code = ExitCode.INTERRUPTED
    except click.ClickException as err:
        errors.write(f"Error: {err.format_message()}\n")
        code = ExitCode.USAGE
    except KeyboardInterrupt:
        errors.write("Error: interrupted\n")
        code = ExitCode.INTERRUPTED
    except (KompoxError, UsageError) as err:
        if flags.debug:
            _print_traceback()
        text = err.located() if isinstance(err, ValidationError) else str(err)
        errors.write(f"Error: {' '.join(text.splitlines())}\n")
        code = err.exit_code
        _hint(rt, errors)
    except Exception as err:  # the last line of defence: still one line, no traceback
        if flags.debug:
            _print_traceback()
        errors.write(f"Error: internal error: {type(err).__name__}: {' '.join(str(err).splitlines())}\n")
        if not flags.debug:
            errors.write("Run again with --debug for the traceback.\n")
        code = ExitCode.FAILURE
        _hint(rt, errors)
    finally:
        if rt is not None:
            rt.finish(int(code))
    return int(code)


def main() -> None:
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":  # pragma: no cover
    main()
