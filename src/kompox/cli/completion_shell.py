"""Shell completion: click's protocol (``_KOMPOXOPS_COMPLETE``) with kompoxops's command-line rules.

The shell scripts ``kompoxops completion bash|zsh|fish|powershell`` prints
call ``kompoxops`` back with ``_KOMPOXOPS_COMPLETE=<shell>_complete`` and the
words typed so far.  Before click resolves them, the global flags are taken
out (``-C dir``, ``--kom-path …`` may stand anywhere, as in a real run) and
the command words are moved to the front (cobra's order rules, see
:mod:`kompox.cli.argv`); a value flag typed before any command word
(``kompoxops -A <TAB>``) still completes.  The candidates themselves come from
:mod:`kompox.cli.completion_sources`.

A completion run writes only the candidates: no log file, no warning, no
error text (stderr is silenced, an exception gives no candidates).
PowerShell has no click support; :class:`PowerShellComplete` speaks the same
protocol through ``Register-ArgumentCompleter``.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from typing import TextIO

import click
from click.shell_completion import (
    BashComplete,
    CompletionItem,
    FishComplete,
    ShellComplete,
    ZshComplete,
    _resolve_context,
    _resolve_incomplete,
    split_arg_string,
)

from kompox.cli.argv import UsageError, extract_global_flags, reorder_command_words
from kompox.cli.completion_sources import (
    FLAG_COMPLETERS,
    GLOBAL_VALUE_KINDS,
    CompletionEnv,
    global_flag_items,
    global_value_items,
)

COMPLETE_VAR = "_KOMPOXOPS_COMPLETE"
PROG_NAME = "kompoxops"


def kompox_completions(
    cli: click.Command, prog_name: str, args: list[str], incomplete: str, env: Mapping[str, str]
) -> list[CompletionItem]:
    """The candidates for ``incomplete`` after the complete words ``args`` (program name excluded)."""
    from kompox.cli.main import boolean_flags, command_tree, routing_group

    args, incomplete = join_equals(args, incomplete)
    if "--" not in args and args and args[-1] in GLOBAL_VALUE_KINDS:
        return global_value_items(args[-1], incomplete)
    try:
        flags, rest = extract_global_flags(args)
    except UsageError:  # an invalid global flag value on the line: nothing sensible to offer
        return []
    view = routing_group(rest)
    _, ordered = reorder_command_words(rest, command_tree(view), frozenset(boolean_flags(view)))
    ctx = _resolve_context(cli, {"obj": CompletionEnv(flags, env)}, prog_name, list(ordered))
    target, value = _resolve_incomplete(ctx, list(ordered), incomplete)
    if not isinstance(target, click.Command) or "--" in ordered:
        return target.shell_complete(ctx, value)
    last = ordered[-1] if ordered else ""
    if not incomplete.startswith("-") and last in FLAG_COMPLETERS and not _known_option(ctx.command, last):
        return FLAG_COMPLETERS[last](ctx, click.Option([last]), incomplete)
    items = target.shell_complete(ctx, value)
    if incomplete.startswith("-"):
        items += global_flag_items(incomplete)
    return items


def join_equals(args: list[str], incomplete: str) -> tuple[list[str], str]:
    """``--flag=value`` as one word, however the shell split it; a ``--flag=`` being typed becomes a value.

    bash splits at ``=`` (``--app-id``, ``=``, ``gitea``) and may report ``=``
    itself as the word under the cursor; zsh and fish keep ``--app-id=gi``.
    """
    if incomplete == "=":
        incomplete = ""
    out: list[str] = []
    i = 0
    while i < len(args):
        tok = args[i]
        if tok == "=" and out and out[-1].startswith("--") and "--" not in out:
            if i + 1 < len(args):
                out[-1] = f"{out[-1]}={args[i + 1]}"
            i += 2
            continue
        out.append(tok)
        i += 1
    if incomplete.startswith("--") and "=" in incomplete and "--" not in out:
        name, _, incomplete = incomplete.partition("=")
        out.append(name)
    return out, incomplete


def _known_option(command: click.Command, flag: str) -> bool:
    return any(isinstance(p, click.Option) and flag in (*p.opts, *p.secondary_opts) for p in command.params)


class _KompoxRules(ShellComplete):
    """Resolves the typed words with kompoxops's rules (global flags, command words anywhere)."""

    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        return kompox_completions(self.cli, self.prog_name, args, incomplete, os.environ)


class KompoxBashComplete(_KompoxRules, BashComplete):
    pass


class KompoxZshComplete(_KompoxRules, ZshComplete):
    pass


class KompoxFishComplete(_KompoxRules, FishComplete):
    pass


POWERSHELL_SOURCE = """\
# kompoxops completion for PowerShell: . (kompoxops completion powershell | Out-String)
Register-ArgumentCompleter -Native -CommandName %(prog_name)s -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $line = $commandAst.Extent.Text
    $upto = $cursorPosition - $commandAst.Extent.StartOffset
    if ($upto -ge 0 -and $upto -lt $line.Length) { $line = $line.Substring(0, $upto) }
    $env:COMP_LINE = $line
    $env:COMP_WORD = $wordToComplete
    $env:%(complete_var)s = 'powershell_complete'
    try {
        $candidates = @(& %(prog_name)s 2>$null)
    } finally {
        Remove-Item Env:%(complete_var)s, Env:COMP_LINE, Env:COMP_WORD -ErrorAction SilentlyContinue
    }
    foreach ($candidate in $candidates) {
        $kind, $value, $help = $candidate -split "`t", 3
        # file and dir: return nothing, PowerShell then completes paths itself
        if ($kind -ne 'plain') { continue }
        if (-not $help) { $help = $value }
        [System.Management.Automation.CompletionResult]::new($value, $value, 'ParameterValue', $help)
    }
}
"""


class PowerShellComplete(_KompoxRules):
    """PowerShell (``pwsh`` 7 and Windows PowerShell 5.1): ``COMP_LINE`` up to the cursor, ``COMP_WORD``."""

    name = "powershell"
    source_template = POWERSHELL_SOURCE

    def get_completion_args(self) -> tuple[list[str], str]:
        words = split_arg_string(os.environ.get("COMP_LINE", ""))
        if os.environ.get("COMP_WORD", "") and len(words) > 1:
            return words[1:-1], words[-1]
        return words[1:], ""

    def format_completion(self, item: CompletionItem) -> str:
        return f"{item.type}\t{item.value}\t{item.help or ''}"


SHELLS: dict[str, type[ShellComplete]] = {
    "bash": KompoxBashComplete,
    "zsh": KompoxZshComplete,
    "fish": KompoxFishComplete,
    "powershell": PowerShellComplete,
}


def completion_class(shell: str) -> type[ShellComplete]:
    return SHELLS[shell]


def shell_complete(instruction: str, stdout: TextIO | None = None) -> int:
    """Answer ``_KOMPOXOPS_COMPLETE=<shell>_<source|complete>``; the exit code for the process.

    ``*_complete`` always exits 0 and prints only candidates (none on any
    failure); ``*_source`` prints the script; anything else exits 1.
    """
    from kompox.cli.main import build_root

    out = stdout or sys.stdout
    shell, _, action = instruction.partition("_")
    cls = SHELLS.get(shell)
    if cls is None or action not in ("source", "complete"):
        return 1
    comp = cls(build_root(), {}, PROG_NAME, COMPLETE_VAR)
    if action == "source":
        out.write(comp.source() + "\n")
        return 0
    with _silenced():
        try:
            text = comp.complete()
        except Exception:  # a TAB never shows an error or a traceback
            text = ""
    if text:
        out.write(text + ("" if text.endswith("\n") else "\n"))
    out.flush()
    return 0


@contextlib.contextmanager
def _silenced() -> Iterator[None]:
    """stderr to /dev/null and logging off while candidates are computed."""
    import logging

    with open(os.devnull, "w") as null, contextlib.redirect_stderr(null):
        logging.disable(logging.CRITICAL)
        try:
            yield
        finally:
            logging.disable(logging.NOTSET)
