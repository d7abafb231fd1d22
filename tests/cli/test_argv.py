"""cobra-style argument handling: global flags anywhere, command words first."""

from __future__ import annotations

import pytest

from kompox.cli.argv import UsageError, extract_global_flags, reorder_command_words

TREE = {"app": {"deploy": {}, "exec": {}, "tunnel": {}}, "cluster": {"kubeconfig": {}, "nodepool": {"list": {}}}}
BOOLS = frozenset({"--merge", "-i", "-t", "--help", "-h", "--bootstrap-disks"})


def test_global_flags_before_and_after_command_words() -> None:
    flags, rest = extract_global_flags(
        ["--kom-path", "a", "app", "deploy", "--kom-path=b", "-Cdir", "--log-level", "debug", "--debug"]
    )
    assert flags.kom_path == ["a", "b"]
    assert (flags.chdir, flags.log_level, flags.debug) == ("dir", "debug", True)
    assert rest == ["app", "deploy"]


def test_everything_after_double_dash_is_verbatim() -> None:
    flags, rest = extract_global_flags(["app", "exec", "--", "sh", "--kom-path", "x", "-C", "y"])
    assert flags.kom_path == [] and flags.chdir == ""
    assert rest == ["app", "exec", "--", "sh", "--kom-path", "x", "-C", "y"]


def test_missing_global_flag_value_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="flag needs an argument: --kom-app"):
        extract_global_flags(["app", "deploy", "--kom-app"])


@pytest.mark.parametrize(
    ("argv", "words", "ordered"),
    [
        (["-A", "app1", "app", "deploy"], ["app", "deploy"], ["app", "deploy", "-A", "app1"]),
        (
            ["cluster", "--cluster-id", "X", "kubeconfig", "--merge"],
            ["cluster", "kubeconfig"],
            ["cluster", "kubeconfig", "--cluster-id", "X", "--merge"],
        ),
        (["app", "exec", "-it", "--", "sh"], ["app", "exec"], ["app", "exec", "-it", "--", "sh"]),
        (["cluster", "nodepool", "list", "--name=p1"], ["cluster", "nodepool", "list"], None),
        (["app", "deploy", "extra"], ["app", "deploy"], ["app", "deploy", "extra"]),
    ],
)
def test_command_words_are_found_and_moved_first(argv: list[str], words: list[str], ordered: list[str] | None) -> None:
    got_words, got_ordered = reorder_command_words(argv, TREE, BOOLS)
    assert got_words == words
    assert got_ordered == (ordered if ordered is not None else argv)


def test_boolean_before_words_swallows_nothing_but_unknown_flag_takes_a_value() -> None:
    # cobra quirk: a non-boolean flag before the words consumes the next word
    words, ordered = reorder_command_words(["--out", "app", "deploy"], TREE, BOOLS)
    assert words == [] and ordered == ["--out", "app", "deploy"]
    words, _ = reorder_command_words(["--merge", "cluster", "kubeconfig"], TREE, BOOLS)
    assert words == ["cluster", "kubeconfig"]
