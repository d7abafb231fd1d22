"""The console-script entry point: root help and ``version`` answered without importing click.

``kompoxops``, ``kompoxops --help``/``-h``, ``--version``/``-v``,
``kompoxops version`` and ``kompoxops options`` are the first things a user types; importing click
alone costs several times Python's own start-up.  :func:`main` renders those
answers from the same texts the click commands use (this module owns them)
and hands every other command line to :func:`kompox.cli.main.run`.

The rendering follows click's help formatter (usage line, 2-space indent,
definition lists); it is used only when nothing would be re-wrapped at the
current terminal width, otherwise click renders it.  Tests compare both at
many widths.  This module imports nothing beyond ``os`` and ``sys``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from kompox import __version__

ROOT_HELP = """kompoxops runs stateful Docker Compose applications on managed Kubernetes.

\b
Examples:
  kompoxops init                           # create .kompox/ here
  kompoxops app validate --out-manifest -  # print the app's Kubernetes manifest
  kompoxops app deploy -A app1             # -A/--app-id: the app (ID or name)
  kompoxops cluster status -K c1           # -K/--cluster-id: the cluster
  kompoxops disk list -V db -o json        # -V/--vol-name: the volume
"""

# name -> (module, attribute, short help); loaded only when the command is used
ROOT_COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("kompox.cli.commands.project", "init_cmd", "Create the .kompox/ project directory."),
    "version": ("kompox.cli.commands.project", "version_cmd", "Print build information."),
    "config": ("kompox.cli.commands.config", "config_cmd", "Summarise a legacy kompoxops.yml."),
    "cluster": ("kompox.cli.commands.cluster", "build_cluster", "Provision and operate the Kubernetes cluster."),
    "app": ("kompox.cli.commands.app", "build_app", "Validate, deploy and operate the app."),
    "secret": ("kompox.cli.commands.secret", "build_secret", "Manage env override and image pull Secrets."),
    "dns": ("kompox.cli.commands.dns", "build_dns", "Apply or remove the DNS records of the app."),
    "disk": ("kompox.cli.commands.disk", "build_disk", "Manage the cloud disks (or file shares) of volumes."),
    "snapshot": ("kompox.cli.commands.snapshot", "build_snapshot", "Manage snapshots of the app's volumes."),
    "box": ("kompox.cli.commands.box", "build_box", "Maintenance box pods attached to the app."),
    "admin": ("kompox.cli.commands.admin", "build_admin", "Direct CRUD on the resource store."),
    "completion": ("kompox.cli.commands.completion", "completion_cmd", "Print a shell completion script."),
    "options": ("kompox.cli.commands.project", "options_cmd", "Print the global flags (they apply to every command)."),
}

GLOBAL_FLAGS_HELP = """\
Global flags (every command takes them, before or after the command words):
  -h, --help               show the help of any command
  -C, --chdir DIR          change to DIR before doing anything (like git -C)
      --kompox-root DIR    project directory (env KOMPOX_ROOT; default: upward search for .kompox/)
      --kompox-dir DIR     Kompox directory (env KOMPOX_DIR; default $KOMPOX_ROOT/.kompox)
      --kom-path PATH      KOM file or directory, repeatable (env KOMPOX_KOM_PATH)
      --kom-app PATH       Kompox app file (env KOMPOX_KOM_APP; default ./kompoxapp.yml)
      --db-url URL         store without KOM (default file:kompoxops.yml); admin: sqlite:PATH, postgresql://
      --log-format F       json | human | text (env KOMPOX_LOG_FORMAT)
      --log-level L        debug | info | warn | warning | error (env KOMPOX_LOG_LEVEL)
      --log-output O       '' = log file in the log dir, '-' = stderr, 'none', or a path
      --debug              show a traceback on errors"""

TARGET_FLAGS_HELP = """\
Common command flags (the same meaning in every command that takes them; an ID may be a name):
  -A, --app-id ID          the app (default: ./kompoxapp.yml); by name only: --app-name
  -K, --cluster-id ID      the cluster (default: the default app's); by name only: --cluster-name
  -V, --vol-name VOLUME    a volume of the app (disk, snapshot)
  -N, --name NAME          a disk or snapshot of that volume
  -S, --service NAME       a compose service (app tunnel, secret env)
  -o, --output FORMAT      table | wide | json | yaml | name (commands that print resources)"""

OPTIONS_HELP = GLOBAL_FLAGS_HELP + "\n\n" + TARGET_FLAGS_HELP + "\n"
OPTIONS_POINTER = 'Use "kompoxops options" for a list of global command-line options (applies to all commands).'

ROOT_OPTIONS = (("-v, --version", "Print the version and exit."), ("-h, --help", "Show this message and exit."))
MAX_CONTENT_WIDTH = 100  # click's max_content_width for every kompoxops command


def version_text() -> str:
    """What ``kompoxops version`` prints (also used by the click command)."""
    machine = os.uname().machine.lower() if hasattr(os, "uname") else "unknown"
    return (
        f"kompoxops version {__version__}\n"
        "  commit: unknown\n"
        "  built: unknown\n"
        f"  python: {sys.version.split()[0]}\n"
        f"  platform: {sys.platform}/{machine}\n"
    )


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns`` without importing shutil (click asks the same)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 0
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def _dl(rows: Sequence[tuple[str, str]]) -> tuple[list[str], int]:
    """Lines of a click definition list at indent 2, and the width they need to stay unwrapped."""
    first = min(max(len(term) for term, _ in rows), 30) + 2
    lines = [f"  {term}{' ' * (first - len(term))}{text}" for term, text in rows]
    need = max(first + 2 + len(text) for _, text in rows)
    return lines, need


def root_help_text(columns: int | None = None) -> str | None:
    """The root ``--help`` text as click prints it; ``None`` when click would re-wrap something."""
    width = max(min(_terminal_columns() if columns is None else columns, MAX_CONTENT_WIDTH) - 2, 50)
    intro, _, examples = ROOT_HELP.partition("\n\n\b\n")
    options, need_options = _dl(ROOT_OPTIONS)
    commands, need_commands = _dl([(name, ROOT_COMMANDS[name][2]) for name in sorted(ROOT_COMMANDS)])
    if max(len(intro) + 2, need_options, need_commands) > width:
        return None
    body = "\n".join("  " + line if line else "" for line in examples.rstrip("\n").split("\n"))
    return (
        "Usage: kompoxops [OPTIONS] [COMMAND] [ARGS]...\n\n"
        f"  {intro}\n\n{body}\n\n"
        "Options:\n" + "\n".join(options) + "\n\n"
        "Commands:\n" + "\n".join(commands) + "\n\n" + OPTIONS_POINTER + "\n"
    )


def quick_answer(argv: Sequence[str], columns: int | None = None) -> str | None:
    """The output for a root help/version command line, or ``None`` when click must handle it."""
    args = list(argv)
    if args in ([], ["--help"], ["-h"]):
        return root_help_text(columns)
    if args in (["--version"], ["-v"]):
        return f"kompoxops version {__version__}\n"
    if args == ["version"]:
        return version_text()
    if args == ["options"]:
        return OPTIONS_HELP
    return None


def main() -> None:
    """``kompoxops``: a quick answer when there is one, else the full click program."""
    instruction = os.environ.get("_KOMPOXOPS_COMPLETE")
    if instruction:  # a shell asking for completion candidates (kompox.cli.completion_shell)
        from kompox.cli.completion_shell import shell_complete

        sys.exit(shell_complete(instruction))
    text = quick_answer(sys.argv[1:])
    if text is not None and sys.stdout is not None:  # no stdout at all (closed): click's own handling
        sys.stdout.write(text)
        sys.stdout.flush()
        sys.exit(0)
    from kompox.cli.main import run

    sys.exit(run(sys.argv[1:]))
