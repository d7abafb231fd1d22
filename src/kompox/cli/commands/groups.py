"""The command tree of ``kompoxops`` (cli.md §1).

Every group and command exists so that help, completion and scripts see the
whole tree; commands whose use cases are not built yet fail with exit code 5
and "not implemented yet" (see :func:`kompox.cli.base.planned`).
"""

from __future__ import annotations

from kompox.cli.base import KompoxGroup, new_group, planned


def build_secret() -> KompoxGroup:
    secret = new_group("secret", "Manage per-service env override and image pull Secrets.")
    env = new_group("env", "Per-service environment override Secret.")
    pull = new_group("pull", "Image pull Secret.")
    for sub in (env, pull):
        planned(sub, "set", "Create or replace the Secret.", "a later issue")
        planned(sub, "delete", "Delete the Secret.", "a later issue")
        secret.add_command(sub)
    return secret


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
