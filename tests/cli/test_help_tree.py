"""Every command's help: no development notes, no cut descriptions, examples, global flags only on ``options``."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

import click
import pytest

from kompox.cli.argv import _GLOBAL_LONG, _GLOBAL_SHORT
from kompox.cli.base import KompoxGroup
from kompox.cli.main import build_root, load_root_command
from kompox.cli.quick import GLOBAL_FLAGS_HELP, OPTIONS_HELP, OPTIONS_POINTER, ROOT_COMMANDS, ROOT_HELP, quick_answer

DEV_NOTES = re.compile(r"upstream|later issue|not implemented|\bTODO\b", re.IGNORECASE)


def walk(cmd: click.Command, path: list[str]) -> Iterator[tuple[str, click.Command]]:
    yield " ".join(path), cmd
    if isinstance(cmd, click.Group):
        for name in sorted(cmd.commands):
            yield from walk(cmd.commands[name], [*path, name])


def every_command() -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    for root in sorted(ROOT_COMMANDS):
        cmd = load_root_command(root)
        assert cmd is not None
        out.extend(walk(cmd, [root]))
    return out


COMMANDS = every_command()


def help_text(path: str, cmd: click.Command, width: int) -> str:
    ctx = click.Context(cmd, info_name=f"kompoxops {path}", terminal_width=width, max_content_width=width)
    return cmd.get_help(ctx)


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_help_has_no_development_notes_or_ellipses(path: str, cmd: click.Command) -> None:
    text = help_text(path, cmd, 100)
    assert DEV_NOTES.findall(text) == []
    body = text.split("\n", 1)[1]  # the usage line's [ARGS]... is click's notation
    assert "…" not in body and "..." not in body  # nothing cut short or left as "and so on"


def examples(text: str) -> list[str]:
    """The example lines of a help text (the indented block after "Examples:")."""
    block = re.split(r"\n *Examples:\n", text, maxsplit=1)
    if len(block) < 2:
        return []
    joined = block[1].split("\n\n", 1)[0].replace("\\\n", " ")  # a trailing backslash continues the line
    return [line.strip() for line in joined.splitlines() if line.strip()]


def command_of(words: list[str]) -> tuple[str, click.Command, list[str]]:
    """The command an example line runs (cobra-style: flags may stand between command words) and its flags."""
    root = next((w for w in words if w in ROOT_COMMANDS), None)
    if root is None:  # kompoxops --version
        return "", build_root(), words
    cmd = load_root_command(root)
    assert cmd is not None
    path = [cmd.name or ""]
    flags = []
    for word in words[words.index(path[0]) + 1 :] if path[0] in words else []:
        if word == "--":
            break
        if word.startswith("-") and word != "-":
            flags.append(word.split("=", 1)[0])
        elif isinstance(cmd, KompoxGroup) and cmd.get_command(click.Context(cmd), word) is not None:
            cmd = cmd.get_command(click.Context(cmd), word)
            assert cmd is not None
            path.append(word)
    before = words[: words.index(path[0])]
    flags += [w.split("=", 1)[0] for w in before if w.startswith("-")]
    return " ".join(path), cmd, flags


def accepted(cmd: click.Command, flag: str) -> bool:
    names = {o for p in cmd.params if isinstance(p, click.Option) and not p.hidden for o in p.opts + p.secondary_opts}
    names |= {"-h", "--help", *_GLOBAL_LONG, *_GLOBAL_SHORT}
    if flag in names:
        return True
    return re.fullmatch(r"-[A-Za-z]{2,}", flag) is not None and all(f"-{c}" in names for c in flag[1:])  # -it


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_has_examples_that_use_only_its_own_visible_flags(path: str, cmd: click.Command) -> None:
    lines = examples(help_text(path, cmd, 100))
    assert lines, f"{path}: no Examples section"
    for line in lines:
        command = re.split(r"\s#\s", line)[0]
        assert "kompoxops " in command, line
        words = shlex.split(command.rsplit("kompoxops ", 1)[1].replace("<(", " ").rstrip(")"))
        runs, target, flags = command_of(words)
        unknown = [flag for flag in flags if not accepted(target, flag)]
        assert unknown == [], f"{line!r} ({runs}): not flags of that command: {unknown}"


GROUPS = [(p, c) for p, c in COMMANDS if isinstance(c, click.Group)]


@pytest.mark.parametrize(("path", "group"), GROUPS, ids=[p for p, _ in GROUPS])
@pytest.mark.parametrize("width", [60, 80, 100])
def test_group_help_lists_whole_descriptions_and_examples(path: str, group: click.Group, width: int) -> None:
    text = help_text(path, group, width)
    assert "\nExamples:" in text or "\n  Examples:" in text
    commands = text.split("\nCommands:\n", 1)[1].split("\n" + OPTIONS_POINTER, 1)[0]
    assert "..." not in commands and "…" not in commands
    flat = "".join(commands.split())  # wrapping may break lines at spaces and after hyphens
    for name, sub in group.commands.items():  # each whole first sentence, wrapped but not cut
        assert "".join(sub.get_short_help_str(limit=1000).split()) in flat, name


def test_root_help_examples_use_only_flags_explained_on_the_page_or_the_options_page() -> None:
    examples = ROOT_HELP.split("Examples:", 1)[1]
    text = quick_answer(["--help"], columns=100)
    assert text is not None
    for line in examples.strip().splitlines():
        words = line.split("#")[0].split()
        assert words[0] == "kompoxops"
        if words[1].startswith("-"):  # a flag before the command must be a global one
            assert f"  {words[1]}, " in OPTIONS_HELP or f"      {words[1]} " in OPTIONS_HELP, line
        for flag in (w for w in words if re.fullmatch(r"-[A-Za-z]", w)):
            explained = f"  {flag}, " in OPTIONS_HELP or f"# {flag}/" in line
            assert explained, f"{flag} in {line!r} is explained neither in the line nor by kompoxops options"


GLOBAL_FLAG_NAMES = [*_GLOBAL_LONG, *_GLOBAL_SHORT]


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_help_points_to_options_instead_of_repeating_the_global_flags(path: str, cmd: click.Command) -> None:
    text = help_text(path, cmd, 100)
    assert text.rstrip("\n").endswith("\n\n" + OPTIONS_POINTER)
    shown = [name for name in GLOBAL_FLAG_NAMES if re.search(rf"^\s+(-\w, )?{name}\b", text, re.MULTILINE)]
    assert shown == []


def test_root_help_points_to_options() -> None:
    text = quick_answer(["--help"], columns=100)
    assert text is not None and text.endswith("\n" + OPTIONS_POINTER + "\n")
    assert "--kom-path" not in text and "Global flags" not in text


def test_options_page_lists_every_global_flag_the_parser_takes() -> None:
    listed = re.findall(r"^\s+(?:(-\w), )?(--[\w-]+)", GLOBAL_FLAGS_HELP, re.MULTILINE)
    assert {long for _, long in listed} == {*_GLOBAL_LONG, "--help"}
    assert {short: long for short, long in listed if short} == {**_GLOBAL_SHORT, "-h": "--help"}
    assert quick_answer(["options"]) == OPTIONS_HELP
