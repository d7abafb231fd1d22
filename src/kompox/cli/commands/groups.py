"""The command tree of ``kompoxops`` (cli.md §1).

Every group and command exists so that help, completion and scripts see the
whole tree; commands whose use cases are not built yet fail with exit code 5
and "not implemented yet" (see :func:`kompox.cli.base.planned`).
"""

from __future__ import annotations

from kompox.cli.base import KompoxGroup, new_group, planned


def build_box() -> KompoxGroup:
    box = new_group("box", "Maintenance box pods attached to the app.", aliases={"cp": "scp"})
    for verb, summary in (
        ("deploy", "Deploy the box."),
        ("destroy", "Delete the box."),
        ("status", "Print the box status as JSON."),
        ("exec", "Run a command in the box."),
        ("ssh", "Open an SSH session to the box."),
        ("scp", "Copy files to or from the box (alias: cp)."),
        ("rsync", "Synchronise files with the box."),
    ):
        planned(box, verb, summary, "a later issue")
    return box
