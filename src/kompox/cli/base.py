"""Click building blocks shared by every command group.

``KompoxGroup`` adds aliases; every help page ends with a pointer to ``kompoxops options``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from kompox.cli.quick import OPTIONS_POINTER
from kompox.cli.runtime import Runtime

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
FC = TypeVar("FC", bound=Callable[..., Any] | click.Command)
FULL_SENTENCE = 1000  # short-help length limit: never reached, so nothing is cut


class _GlobalHelpMixin:
    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)  # type: ignore[misc]
        formatter.write("\n" + OPTIONS_POINTER + "\n")


class KompoxCommand(_GlobalHelpMixin, click.Command):
    """A leaf command; applies the values of :class:`DeprecatedShort` aliases before it runs."""

    def invoke(self, ctx: click.Context) -> Any:
        apply_deprecated_shorts(ctx)
        return super().invoke(ctx)


_DEPRECATED_META = "kompox.deprecated_shorts"


class DeprecatedShort(click.Option):
    """A hidden short flag kept for old command lines, e.g. ``-S`` for ``--source`` on ``disk create``.

    It takes the value (or flag) the long option takes, prints a one-line
    note on stderr when used, and hands its value to the long option's
    parameter (``target``) before the command runs.  Giving both is a usage
    error.
    """

    def __init__(self, param_decls: Sequence[str], *, target: str, long: str, note: str = "", **kwargs: Any) -> None:
        (short,) = param_decls
        super().__init__([short, f"deprecated_{short.lstrip('-')}_{target}"], hidden=True, **kwargs)
        self.short = short
        self.target = target
        self.long = long
        self.note = note

    def handle_parse_result(self, ctx: click.Context, opts: Any, args: list[str]) -> tuple[Any, list[str]]:
        value, rest = super().handle_parse_result(ctx, opts, args)
        assert self.name is not None
        ctx.params.pop(self.name, None)
        if ctx.get_parameter_source(self.name) is click.core.ParameterSource.COMMANDLINE:
            ctx.meta.setdefault(_DEPRECATED_META, []).append((self, value))
        return value, rest

    def warning(self) -> str:
        extra = f" ({self.note})" if self.note else ""
        return f"Warning: {self.short} for {self.long} is deprecated; use {self.long}{extra}"


def deprecated_short(short: str, target: str, long: str, note: str = "", **kwargs: Any) -> Callable[[FC], FC]:
    """Decorator adding a :class:`DeprecatedShort` to a command."""
    return click.option(short, target=target, long=long, note=note, cls=DeprecatedShort, **kwargs)


def apply_deprecated_shorts(ctx: click.Context) -> None:
    used: list[tuple[DeprecatedShort, Any]] = ctx.meta.pop(_DEPRECATED_META, [])
    for alias, value in used:
        source = ctx.get_parameter_source(alias.target)
        if source is click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError(f"{alias.short} and {alias.long} both given; use {alias.long} only", ctx)
        runtime(ctx).say(alias.warning())
        ctx.params[alias.target] = value


class KompoxGroup(_GlobalHelpMixin, click.Group):
    """A group with command aliases; invoked bare it prints its help."""

    command_class = KompoxCommand

    def __init__(self, *args: Any, aliases: dict[str, str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("context_settings", CONTEXT_SETTINGS)
        kwargs.setdefault("invoke_without_command", True)
        kwargs.setdefault("no_args_is_help", False)
        super().__init__(*args, **kwargs)
        self.aliases: dict[str, str] = dict(aliases or {})
        self.group_class = KompoxGroup

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, self.aliases.get(cmd_name, cmd_name))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Each sub-command's whole first sentence, wrapped (click cuts it at the width with "...")."""
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=FULL_SENTENCE)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def bare_group_callback(ctx: click.Context) -> None:
    """Invoked without a sub-command: show the group's help (exit 0)."""
    if ctx.invoked_subcommand is None:
        runtime(ctx).out(ctx.get_help() + "\n")


def new_group(name: str, help_text: str, aliases: dict[str, str] | None = None) -> KompoxGroup:
    """A sub-command group that prints its help when invoked bare."""
    return KompoxGroup(name=name, help=help_text, aliases=aliases, callback=click.pass_context(bare_group_callback))


def runtime(ctx: click.Context) -> Runtime:
    obj = ctx.find_object(Runtime)
    if obj is None:  # pragma: no cover - main() always provides it
        raise RuntimeError("kompoxops runtime missing from the click context")
    return obj


def parse_duration(text: str) -> float:
    """A ``--timeout`` (``300``, ``90s``, ``5m``, ``1h30m``) in seconds.

    The grammar is :func:`kompox.domain.timefmt.parse_duration`'s, plus a plain number of seconds.
    """
    from kompox.domain.timefmt import parse_duration as parse

    return parse(text, "--timeout", bare_seconds=True, positive=True).total_seconds()
