"""``kompoxops box``: the maintenance toolbox pod of an app (cli.md §10.11).

``deploy`` places the Deployment ``<app>-box`` in the app namespace (optionally mounting app
disks), ``exec`` runs a command in it, and ``ssh``/``scp`` (alias ``cp``)/``rsync`` run *your*
client programs through a port-forward to the pod's port 22, exiting with the client's code.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kompox.cli.base import KompoxCommand, KompoxGroup, deprecated_short, new_group, runtime
from kompox.cli.commands.app import PASSTHROUGH, app_target_options
from kompox.cli.output import output_only_option
from kompox.domain.errors import ValidationError

if TYPE_CHECKING:
    from kompox.cli.runtime import Runtime
    from kompox.cli.session import Session
    from kompox.domain.model import Box
    from kompox.kube.convert.names import AppNames
    from kompox.usecase.app_target import AppTarget

BOX_HELP = """Maintenance box pods of the app: Deployment <app>-box (container box), or with --box NAME a
standalone KOM Box (Deployment <app>-<component>, container <component>).

\b
Examples:
  kompoxops box deploy --volume db:disk1:/mnt/db    # mount a disk of volume db
  kompoxops box exec -it -- bash
  kompoxops box ssh -- kompox@box
  kompoxops box cp -- -r ./backup kompox@box:/mnt/db/
  kompoxops box rsync -- -av ./site/ kompox@box:/srv/site/
  kompoxops box destroy
  kompoxops box deploy --box worker                 # the standalone KOM Box 'worker'
  kompoxops box exec --box worker -- ps
"""
KEY_NAMES = ("id_rsa.pub", "id_ecdsa.pub", "id_ed25519.pub")
CLIENT_EXAMPLES = {
    "ssh": ("ssh -- kompox@box", "ssh -- -l kompox box df -h /mnt/db"),
    "scp": ("scp -- -r ./backup kompox@box:/mnt/db/", "cp -- kompox@box:/mnt/db/dump.sql ./"),
    "rsync": ("rsync -- -av ./site/ kompox@box:/srv/site/", "rsync --box worker -- -av kompox@box:/data/ ./data/"),
}


def box_option(func: Any) -> Any:
    return click.option(
        "--box",
        "box_name",
        default="",
        metavar="NAME",
        help="Standalone KOM Box to act on (Deployment <app>-<component>); default: the toolbox 'box'.",
    )(func)


def _choose(session: Session, target: AppTarget, box_name: str) -> tuple[AppNames, Box | None]:
    """The names of the chosen box component and its KOM Box (checked before any cluster call)."""
    from kompox.usecase import box_ops as uc

    choice = uc.resolve_box(session.store.repos.boxes.list(), target.app, box_name)
    return target.names(choice.component), choice.kom_box


def _open(app_id: str, app_name: str, box_name: str) -> tuple[Runtime, Session, AppTarget, AppNames, Box | None]:
    """Runtime, session, app target and chosen box of a box command (pre-run done)."""
    rt = runtime(click.get_current_context())
    rt.prerun()
    session = rt.session()
    target = session.app(app_id, app_name)
    names, kom_box = _choose(session, target, box_name)
    return rt, session, target, names, kom_box


def _home() -> str:
    env = os.environ
    return env.get("HOME") or env.get("USERPROFILE") or (env.get("HOMEDRIVE", "") + env.get("HOMEPATH", ""))


def read_pubkey(path: str) -> bytes:
    """``--ssh-pubkey FILE`` or the first of ``~/.ssh/id_rsa.pub``, ``id_ecdsa.pub``, ``id_ed25519.pub``."""
    if path:
        try:
            return Path(path).expanduser().read_bytes()
        except OSError as err:
            raise ValidationError(f"cannot read SSH public key: {err.strerror}", file=path) from None
    candidates = [Path(_home()) / ".ssh" / name for name in KEY_NAMES]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.read_bytes()
    raise ValidationError(
        f"SSH public key not found: specify --ssh-pubkey or place one of [{', '.join(map(str, candidates))}]",
        field="--ssh-pubkey",
    )


@click.command("deploy", cls=KompoxCommand)
@app_target_options
@box_option
@click.option(
    "--image", default="", help="Container image (default: the KOM Box's spec.image, else ghcr.io/kompox/kompox/box)."
)
@click.option("--volume", "volumes", multiple=True, metavar="VOL:DISK:/PATH", help="Mount a disk (repeat).")
@deprecated_short("-V", "volumes", "--volume", "-V is --vol-name elsewhere", multiple=True, metavar="VOL:DISK:/PATH")
@click.option("--command", "command", multiple=True, help="Entrypoint token (repeat); overrides ENTRYPOINT.")
@deprecated_short("-c", "command", "--command", "-c is --container elsewhere", multiple=True, metavar="TOKEN")
@click.option("-a", "--args", "args", multiple=True, help="Argument token (repeat); overrides CMD.")
@click.option(
    "--ssh-pubkey",
    default="",
    metavar="FILE",
    help="SSH public key (default: the first of ~/.ssh/id_rsa.pub, id_ecdsa.pub, id_ed25519.pub).",
)
@click.option("--always-pull", is_flag=True, help="imagePullPolicy Always (else IfNotPresent).")
def deploy_cmd(
    app_id: str,
    app_name: str,
    box_name: str,
    image: str,
    volumes: tuple[str, ...],
    command: tuple[str, ...],
    args: tuple[str, ...],
    ssh_pubkey: str,
    always_pull: bool,
) -> None:
    """Deploy (or update) the box; idempotent.  A key change restarts the pod.

    \b
    Examples:
      kompoxops box deploy
      kompoxops box deploy --volume db:disk1:/mnt/db --volume files:share1:/mnt/files
      kompoxops box deploy --image alpine:3 --command sleep -a infinity
      kompoxops box deploy --box worker --ssh-pubkey ~/.ssh/id_ed25519.pub
    """
    from kompox.logging import span
    from kompox.usecase import box_ops as uc

    rt, session, target, names, kom_box = _open(app_id, app_name, box_name)
    key = read_pubkey(ssh_pubkey)
    opts = uc.box_options(kom_box, image, command, args, always_pull, key)
    with span("CMD:box.deploy", target.app.id):
        manifest = uc.plan_box_deploy(target, names, opts, volumes, lambda: session.app_driver(target))
        count = uc.box_deploy(session.app_kube(target), names, manifest)
    rt.say(f"box deploy: applied {count} objects; deployment {names.resource} in namespace {names.namespace}")


@click.command("destroy", cls=KompoxCommand)
@app_target_options
@box_option
def destroy_cmd(app_id: str, app_name: str, box_name: str) -> None:
    """Delete the box Deployment and its pods (Secret, PV/PVC and app objects are kept); idempotent.

    \b
    Examples:
      kompoxops box destroy
      kompoxops box destroy --box worker -A app1
    """
    from kompox.logging import span
    from kompox.usecase import box_ops as uc

    rt, session, target, names, _ = _open(app_id, app_name, box_name)
    with span("CMD:box.destroy", target.app.id):
        deleted = uc.box_destroy(session.app_kube(target), names)
    rt.say(f"box destroy: deleted {', '.join(deleted) if deleted else 'nothing (not deployed)'}")


@click.command("status", cls=KompoxCommand)
@app_target_options
@box_option
@output_only_option
def status_cmd(app_id: str, app_name: str, box_name: str, output_format: str) -> None:
    """Print the box status (JSON by default).

    \b
    Examples:
      kompoxops box status
      kompoxops box status --box worker -o yaml
    """
    from kompox.cli.status_output import print_box_status
    from kompox.usecase import box_ops as uc

    rt, session, target, names, _ = _open(app_id, app_name, box_name)
    print_box_status(rt.stdout, names.component, uc.box_status(session.app_kube(target), target, names), output_format)


@click.command("exec", cls=KompoxCommand, context_settings=PASSTHROUGH)
@app_target_options
@box_option
@click.option("-i", "--stdin", is_flag=True, help="Attach local stdin.")
@click.option("-t", "--tty", is_flag=True, help="Allocate a TTY (local terminal in raw mode).")
@click.option("--escape", default="~.", show_default=True, help="Detach sequence with -it; 'none' disables.")
@deprecated_short("-e", "escape", "--escape", "docker's -e sets environment variables", metavar="SEQ")
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
def exec_cmd(
    app_id: str, app_name: str, box_name: str, stdin: bool, tty: bool, escape: str, command: tuple[str, ...]
) -> None:
    """Run a command in the box container; exits with the command's exit code.

    \b
    Examples:
      kompoxops box exec -- ls -l /mnt/db
      kompoxops box exec -it -- bash
      kompoxops box exec -it --escape '^]' --box worker -- sh
    """
    import functools

    from kompox.cli.app_process import exit_with
    from kompox.cli.app_run import attached_exec
    from kompox.usecase import box_ops as uc

    rt = runtime(click.get_current_context())
    rt.prerun()
    session = rt.session()
    target = session.app(app_id, app_name)
    if not command or not command[0].strip():
        raise ValidationError("command is required after --")
    names, _ = _choose(session, target, box_name)
    kube = session.app_kube(target)
    use_case = functools.partial(uc.box_exec, kube, names, command, escape=escape)
    exit_with(attached_exec(rt, use_case, stdin=stdin, tty=tty))


def _client_command(tool: str) -> click.Command:
    @click.command(tool, cls=KompoxCommand, context_settings=PASSTHROUGH)
    @app_target_options
    @box_option
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def cmd(app_id: str, app_name: str, box_name: str, args: tuple[str, ...]) -> None:
        from kompox.cli.app_process import exit_with, find_program, run_child
        from kompox.logging import span
        from kompox.usecase import box_ops as uc

        rt = runtime(click.get_current_context())
        rt.prerun()
        program = find_program(tool)
        session = rt.session()
        target = session.app(app_id, app_name)
        names, _ = _choose(session, target, box_name)

        def run(argv: Sequence[str]) -> int:
            return run_child(argv, None, errors=rt.stderr)

        with span(f"CMD:box.{tool}", target.app.id):
            code = uc.box_client(session.app_kube(target), names, tool, program, args, run)
        exit_with(code)

    cmd.help = (
        f"Run your {tool} against the box through a port-forward to its port 22; exits with {tool}'s exit code.\n\n"
        f"Give the user as user@host (any host){' or with -l' if tool == 'ssh' else ''}; "
        "put the client's arguments after --.\n\n"
        "\b\nExamples:\n" + "".join(f"  kompoxops box {line}\n" for line in CLIENT_EXAMPLES[tool])
    )
    return cmd


def build_box() -> KompoxGroup:
    box = new_group("box", BOX_HELP, aliases={"cp": "scp"})
    for command in (deploy_cmd, destroy_cmd, status_cmd, exec_cmd):
        box.add_command(command)
    for tool in ("ssh", "scp", "rsync"):
        box.add_command(_client_command(tool))
    return box
