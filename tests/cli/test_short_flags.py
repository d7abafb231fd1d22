"""One meaning per short flag across the whole command tree (README "Command-line flags").

Every visible short flag maps to the one long name in :data:`SHORT_FLAGS`,
except the few upstream/kubectl-compatible uses in :data:`EXCEPTIONS`.
Short spellings that were moved keep working as hidden aliases
(:data:`DEPRECATED`); the README lists all three tables.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import click
import pytest
from test_help_tree import COMMANDS

from kompox.cli.base import DeprecatedShort
from kompox.cli.main import build_root
from kompox.cli.quick import TARGET_FLAGS_HELP

README = Path(__file__).resolve().parents[2] / "README.md"

GLOBAL_SHORTS = {"-C": "--chdir", "-h": "--help", "-v": "--version"}  # -v only on the root

SHORT_FLAGS = {
    "-A": "--app-id",
    "-K": "--cluster-id",
    "-V": "--vol-name",
    "-N": "--name",
    "-S": "--service",
    "-c": "--container",
    "-f": "--file",
    "-o": "--output",
    "-i": "--stdin",
    "-t": "--tty",
    "-p": "--port",
    "-q": "--quiet",
    "-a": "--args",
    "-O": "--options",
    "-Z": "--zone",
    "-R": "--refresh-kubeconfig",
}

# (short, long) -> the commands where that short keeps another, upstream-compatible meaning
EXCEPTIONS = {
    ("-f", "--follow"): {"app logs", "cluster logs"},  # kubectl/docker logs -f, upstream
    ("-o", "--out"): {"cluster kubeconfig"},  # upstream: -o FILE writes the kubeconfig
}

# (command, short) -> the long option it still sets, with a deprecation note on stderr
DEPRECATED = {
    ("disk create", "-S"): "--source",
    ("snapshot create", "-S"): "--source",
    ("box deploy", "-V"): "--volume",
    ("box deploy", "-c"): "--command",
    ("app exec", "-e"): "--escape",
    ("box exec", "-e"): "--escape",
    ("init", "-f"): "--force",
}


def short_uses() -> dict[str, list[tuple[str, set[str]]]]:
    """short flag -> [(command path, its long names)] over every visible option of every command."""
    uses: dict[str, list[tuple[str, set[str]]]] = defaultdict(list)
    for path, cmd in COMMANDS:
        for param in cmd.params:
            if not isinstance(param, click.Option) or param.hidden:
                continue
            names = [*param.opts, *param.secondary_opts]
            longs = {n for n in names if n.startswith("--")}
            for short in (n for n in names if not n.startswith("--")):
                uses[short].append((path, longs))
    return uses


def test_each_short_flag_has_one_meaning() -> None:
    found_exceptions: dict[tuple[str, str], set[str]] = defaultdict(set)
    wrong = []
    for short, uses in short_uses().items():
        for path, longs in uses:
            if short == "-h":
                continue
            if short in GLOBAL_SHORTS:
                wrong.append(f"{path}: {short} is a global flag ({GLOBAL_SHORTS[short]})")
            elif short not in SHORT_FLAGS:
                wrong.append(f"{path}: {short} ({sorted(longs)}) is not in the short-flag table")
            elif SHORT_FLAGS[short] not in longs:
                for long in longs:
                    found_exceptions[(short, long)].add(path)
                if not any(path in EXCEPTIONS.get((short, long), ()) for long in longs):
                    wrong.append(f"{path}: {short} means {sorted(longs)}, elsewhere {SHORT_FLAGS[short]}")
    assert wrong == []
    assert dict(found_exceptions) == EXCEPTIONS  # no stale exception either


def test_every_listed_short_flag_is_used() -> None:
    assert sorted(short_uses().keys() - {"-h"}) == sorted(SHORT_FLAGS)


def test_options_page_common_flags_agree_with_the_table() -> None:
    rows = re.findall(r"^  (-\w), (--[\w-]+)", TARGET_FLAGS_HELP, re.MULTILINE)
    assert len(rows) >= 5
    assert {short: SHORT_FLAGS[short] for short, _ in rows} == dict(rows)


def test_root_keeps_version_and_help_only() -> None:
    root = build_root()
    shorts = {o for p in root.params if isinstance(p, click.Option) for o in p.opts if not o.startswith("--")}
    assert shorts == {"-v"}  # -h comes from the context settings; -C is taken out before click runs


def test_deprecated_short_aliases_are_hidden_and_listed() -> None:
    found = {}
    for path, cmd in COMMANDS:
        visible = {o for p in cmd.params if isinstance(p, click.Option) and not p.hidden for o in p.opts}
        for param in cmd.params:
            if isinstance(param, DeprecatedShort):
                assert param.hidden
                assert param.short not in visible, f"{path}: {param.short} is both visible and deprecated"
                assert param.long in visible, f"{path}: {param.short} points at a missing {param.long}"
                target = next(p for p in cmd.params if param.long in getattr(p, "opts", ()))
                assert target.name == param.target
                found[(path, param.short)] = param.long
    assert found == DEPRECATED


def readme_section() -> str:
    text = README.read_text()
    return text.split("\n## Command-line flags\n", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize(("short", "long"), sorted(SHORT_FLAGS.items()))
def test_readme_short_flag_table_has_each_flag(short: str, long: str) -> None:
    assert re.search(rf"^\| `{short}` \| `{long}` \|", readme_section(), re.MULTILINE), short


def test_readme_lists_exceptions_and_deprecated_aliases() -> None:
    section = readme_section()
    for (short, long), paths in EXCEPTIONS.items():
        for path in paths:
            assert re.search(rf"^\| `{short}` \| `{long}` \| .*`{path}`", section, re.MULTILINE), (short, path)
    for (path, short), long in DEPRECATED.items():
        assert re.search(rf"^\| `{path}` \| `{short}` \| `{long}`[ |]", section, re.MULTILINE), (path, short)
