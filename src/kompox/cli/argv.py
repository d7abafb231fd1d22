"""Command-line preprocessing with cobra's semantics (cli.md §2.1).

cobra finds the leaf command from the non-flag words first and then parses all
remaining tokens against the leaf, so flags may stand before or after the
command words.  :func:`split_argv` reproduces that on top of click:

1. global flags are taken out of the argument list wherever they stand (up to
   ``--``) into :class:`GlobalFlags`;
2. the command words are found by walking the command tree, and moved to the
   front, so click sees ``<words> <everything else in order>``.

While looking for command words, a flag that is not a known boolean is assumed
to take a value unless written ``--flag=value`` (cobra's rule).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kompox.domain.errors import ExitCode, KompoxError


class UsageError(KompoxError):
    exit_code = ExitCode.USAGE


@dataclass
class GlobalFlags:
    """The global flags taken out of the command line before click parses the rest."""

    chdir: str = ""
    kompox_root: str = ""
    kompox_dir: str = ""
    kom_path: list[str] = field(default_factory=list)
    kom_app: str | None = None
    db_url: str = ""
    log_format: str = ""
    log_level: str = ""
    log_output: str = ""
    debug: bool = False


# long name -> (attribute, takes a value, repeatable)
_GLOBAL_LONG: dict[str, tuple[str, bool, bool]] = {
    "--chdir": ("chdir", True, False),
    "--kompox-root": ("kompox_root", True, False),
    "--kompox-dir": ("kompox_dir", True, False),
    "--kom-path": ("kom_path", True, True),
    "--kom-app": ("kom_app", True, False),
    "--db-url": ("db_url", True, False),
    "--log-format": ("log_format", True, False),
    "--log-level": ("log_level", True, False),
    "--log-output": ("log_output", True, False),
    "--debug": ("debug", False, False),
}
_GLOBAL_SHORT: dict[str, str] = {"-C": "--chdir"}
# flags with a closed set of values (case-insensitive); the help texts list the same values
LOG_FORMAT_CHOICES = ("json", "human", "text")
LOG_LEVEL_CHOICES = ("debug", "info", "warn", "warning", "error")
_CHOICES: dict[str, tuple[str, ...]] = {"--log-format": LOG_FORMAT_CHOICES, "--log-level": LOG_LEVEL_CHOICES}


def _set(flags: GlobalFlags, long: str, value: str | None) -> None:
    attr, takes_value, repeatable = _GLOBAL_LONG[long]
    if not takes_value:
        flags.debug = value is None or value.lower() not in ("false", "0")
        return
    assert value is not None
    choices = _CHOICES.get(long)
    if choices is not None and value.lower() not in choices:
        raise UsageError(f"invalid value {value!r} for {long} (allowed: {', '.join(choices)})")
    if choices is not None:
        value = value.lower()
    if repeatable:
        flags.kom_path.append(value)
    else:
        setattr(flags, attr, value)


def extract_global_flags(argv: Sequence[str]) -> tuple[GlobalFlags, list[str]]:
    """Remove global flags (before ``--``) from ``argv``; returns them and the rest."""
    flags = GlobalFlags()
    rest: list[str] = []
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok == "--":
            rest.extend(argv[i:])
            break
        long: str | None = None
        inline: str | None = None
        if tok.startswith("--"):
            name, eq, val = tok.partition("=")
            if name in _GLOBAL_LONG:
                long, inline = name, (val if eq else None)
        elif tok[:2] in _GLOBAL_SHORT:
            long = _GLOBAL_SHORT[tok[:2]]
            inline = tok[2:] or None
        if long is None:
            rest.append(tok)
            i += 1
            continue
        _, takes_value, _ = _GLOBAL_LONG[long]
        if takes_value and inline is None:
            if i + 1 >= len(argv):
                raise UsageError(f"flag needs an argument: {tok}")
            inline = argv[i + 1]
            i += 1
        _set(flags, long, inline)
        i += 1
    return flags, rest


CommandTree = Mapping[str, "CommandTree"]
"""Sub-command name -> its own tree (an empty mapping for a leaf)."""


def reorder_command_words(
    argv: Sequence[str], tree: CommandTree, boolean_flags: frozenset[str]
) -> tuple[list[str], list[str]]:
    """Find the command words in ``argv`` and return ``(words, words + other tokens)``."""
    words: list[str] = []
    others: list[str] = []
    node: CommandTree | None = tree
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok == "--":
            others.extend(argv[i:])
            break
        if tok.startswith("-") and tok != "-":
            others.append(tok)
            name = tok.partition("=")[0]
            takes_value = "=" not in tok and name not in boolean_flags and not _is_short_cluster(tok, boolean_flags)
            if takes_value and node and i + 1 < len(argv):
                # only while still looking for words does a flag swallow the next token
                others.append(argv[i + 1])
                i += 1
            i += 1
            continue
        if node and tok in node:
            words.append(tok)
            node = node[tok]
        else:
            node = None  # first positional: no more command words
            others.append(tok)
        i += 1
    return words, words + others


def _is_short_cluster(tok: str, boolean_flags: frozenset[str]) -> bool:
    """``-it``: every letter a known boolean short flag."""
    if tok.startswith("--") or len(tok) < 2:
        return False
    return all(f"-{c}" in boolean_flags for c in tok[1:])
