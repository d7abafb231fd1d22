"""``kompoxops app``: validate, deploy, destroy, move, status, logs, exec, tunnel (port-forward, pf), kubectl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kompox.cli.base import KompoxCommand, KompoxGroup, bare_group_callback, deprecated_short, parse_duration, runtime
from kompox.cli.out_file import write_out
from kompox.cli.output import output_only_option
from kompox.cli.runtime import Runtime

APP_TARGET_HELP = "App Resource ID (or name) to act on; default: the app of ./kompoxapp.yml."


def app_target_options(func: Any) -> Any:
    func = click.option("--app-name", default="", help="App name (backward-compatible selector).")(func)
    return click.option("-A", "--app-id", default="", help=APP_TARGET_HELP)(func)


def env_file_option(func: Any) -> Any:
    return click.option(
        "--env-file",
        "env_file",
        multiple=True,
        metavar="PATH",
        help="Read compose variables from this file instead of .env next to the compose file (repeatable).",
    )(func)


def _write(rt: Runtime, path: str, text: str) -> None:
    if path == "-":
        rt.out(text)
        return
    write_out(Path(path), text.encode("utf-8"), mode=0o644)


@click.command("validate", cls=KompoxCommand)
@app_target_options
@click.option("--out-compose", default="", metavar="PATH", help="Write the normalised compose YAML ('-' = stdout).")
@click.option("--out-manifest", default="", metavar="PATH", help="Write the Kubernetes manifest ('-' = stdout).")
@env_file_option
def validate_cmd(app_id: str, app_name: str, out_compose: str, out_manifest: str, env_file: tuple[str, ...]) -> None:
    """Validate the compose app and generate its Kubernetes manifest.

    Warnings (e.g. a volume with no assigned disk yet) are printed to stderr
    and logged; on success one summary line follows there (objects by kind,
    warnings), so stdout holds only what --out-manifest/--out-compose '-'
    asked for.  The manifest is still written with unbound volumes marked.
    Any error fails the command and no manifest is written; the normalised
    compose (--out-compose) is written whenever the compose file loaded, so a
    refused conversion can be inspected.  Variables come from .env next to
    the compose file, as in docker compose, or from --env-file instead.

    \b
    Examples:
      kompoxops app validate
      kompoxops app validate --out-manifest - | less
      kompoxops app validate -A /ws/w1/prv/k3s1/cls/home/app/gitea --out-manifest gitea.yaml
    """
    from kompox.cli.validate import collect_validation, normalised_compose_yaml, raise_on_errors, summary

    rt = runtime(click.get_current_context())
    rt.prerun()
    result = collect_validation(rt, app_id, app_name, env_file)
    if out_compose:
        text = normalised_compose_yaml(result)
        if text:
            _write(rt, out_compose, text if text.startswith("---\n") else "---\n" + text)
    raise_on_errors(result)
    if out_manifest and result.objects:
        _write(rt, out_manifest, result.manifest())
    rt.say(summary(result))


PASSTHROUGH = {"ignore_unknown_options": True, "allow_interspersed_args": False}


@click.command("deploy", cls=KompoxCommand)
@app_target_options
@click.option("--bootstrap-disks", is_flag=True, help="First create and assign one disk per volume if none is.")
@click.option("--update-dns", is_flag=True, help="Then write DNS records of the ingress hosts (best effort).")
@click.option("--wait/--no-wait", default=True, show_default=True, help="Wait for the Deployment to roll out.")
@click.option("--timeout", default="5m", show_default=True, metavar="DURATION", help="Rollout wait limit.")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr.")
@env_file_option
def deploy_cmd(
    app_id: str,
    app_name: str,
    bootstrap_disks: bool,
    update_dns: bool,
    wait: bool,
    timeout: str,
    quiet: bool,
    env_file: tuple[str, ...],
) -> None:
    """Apply the app's manifests to the cluster and wait for the rollout.

    Validates first (unbound volumes or any warning block the deploy, nothing
    is sent to the cluster), computes the pod content hash, sends every object
    as a server-side dry run and applies nothing unless the API server accepts
    all of them (each refusal is printed, exit 3), then server-side applies
    every object with field manager kompoxops, prunes headless Services no
    longer in the compose file and waits for the Deployment (one rollout),
    printing progress on stderr.  Deploying again changes nothing; an
    interrupted deploy is completed by the next one.

    \b
    Examples:
      kompoxops app deploy
      kompoxops app deploy --bootstrap-disks --update-dns
      kompoxops app deploy -A /ws/w1/prv/k3s1/cls/home/app/gitea --timeout 10m
      kompoxops app deploy --no-wait
    """
    from kompox.cli.app_run import run_deploy

    rt = runtime(click.get_current_context())
    rt.prerun()
    run_deploy(
        rt,
        app_id,
        app_name,
        bootstrap=bootstrap_disks,
        update_dns=update_dns,
        wait=wait,
        timeout=parse_duration(timeout),
        quiet=quiet,
        env_files=env_file,
    )


@click.command("destroy", cls=KompoxCommand)
@app_target_options
@click.option("--delete-namespace", is_flag=True, help="Also delete the app namespace (and everything in it).")
@click.option("--update-dns", is_flag=True, help="First delete the DNS records of the ingress hosts.")
@click.option(
    "--timeout", default="5m", show_default=True, metavar="DURATION", help="With --delete-namespace: wait limit."
)
def destroy_cmd(app_id: str, app_name: str, delete_namespace: bool, update_dns: bool, timeout: str) -> None:
    """Delete the app's workload from the cluster.

    Deletes the Deployment, Services and Ingresses labelled app=<app>-app.
    Kept: PersistentVolumes and claims, ConfigMaps and Secrets, RBAC and
    NetworkPolicy, the Box, the namespace (unless --delete-namespace: then the
    command waits, up to --timeout, until the namespace is gone, so that a
    deploy can follow at once) and always the cloud disks.  Prints one line
    per deleted object and a count on stderr.  Destroying twice is fine.

    \b
    Examples:
      kompoxops app destroy
      kompoxops app destroy --update-dns --delete-namespace
    """
    from kompox.cli.app_run import run_destroy

    rt = runtime(click.get_current_context())
    rt.prerun()
    run_destroy(
        rt, app_id, app_name, delete_namespace=delete_namespace, update_dns=update_dns, timeout=parse_duration(timeout)
    )


@click.command("move", cls=KompoxCommand)
@app_target_options
@click.option("--to-cluster", required=True, metavar="ID", help="Target Cluster Resource ID (or name).")
@click.option(
    "--zone",
    default="",
    help="Zone of the new disks (default: one the app may land in on the target); on K3s the target node.",
)
@click.option("--stop-source", is_flag=True, help="First destroy the app on the source, wait for its disks to detach.")
@click.option("--cleanup-source", is_flag=True, help="After the deploy, destroy the app on the source cluster.")
@click.option("--update-dns", is_flag=True, help="After the deploy, point the ingress hosts' DNS at the target.")
@click.option("--dry-run", is_flag=True, help="Print the plan (what is done, what is left); change nothing.")
@click.option("--wait/--no-wait", default=True, show_default=True, help="Wait for the rollout on the target.")
@click.option("--timeout", default="5m", show_default=True, metavar="DURATION", help="Rollout wait limit.")
@click.option("-q", "--quiet", is_flag=True, help="No deploy/destroy progress lines (step lines stay).")
@env_file_option
@output_only_option
def move_cmd(app_id: str, app_name: str, to_cluster: str, output_format: str, **kw: Any) -> None:
    """Move the app and its disks to another cluster (resumable; --dry-run first).

    Per disk volume: snapshot the assigned disk on the source, create a disk
    from it reachable from the target, assign it; then deploy the app on the
    target and, only with --cleanup-source, destroy it on the source.  Source
    disks and snapshots are never deleted.  The copy is as of the snapshot:
    with --stop-source the source app is destroyed first and the snapshot
    waits until its disks are detached (downtime, nothing written is lost).  Each snapshot and disk gets a name
    derived from the app, volume, source disk and target cluster, so a re-run
    after an interruption continues where it stopped and creates nothing
    twice.  Between K3s clusters of one provider the snapshot is first
    copied to a node of the target (helper pods on both nodes, checked
    against its SHA-256; a mismatch is exit 11).  Across providers (or Azure
    subscriptions/regions, or K3s providers) the move is refused (exit 5)
    before anything is touched.  The KOM is not
    edited: the command says which App id to set afterwards.  One line per
    step on stderr; the plan (--dry-run) or the final state on stdout, JSON
    by default, -o table one row per step (wide adds what each step does).

    \b
    Examples:
      kompoxops app move --to-cluster /ws/w1/prv/aks1/cls/c2 --dry-run -o table
      kompoxops app move --to-cluster c2 --zone 2
      kompoxops app move --to-cluster c2 --stop-source --cleanup-source
    """
    from kompox.cli.app_move import run_move
    from kompox.usecase.app_move import MoveOptions

    rt = runtime(click.get_current_context())
    rt.prerun()
    opts = MoveOptions(
        zone=kw["zone"].strip(),
        stop_source=kw["stop_source"],
        cleanup_source=kw["cleanup_source"],
        update_dns=kw["update_dns"],
        wait=kw["wait"],
        timeout=parse_duration(kw["timeout"]),
    )
    run_move(
        rt, app_id, app_name, to_cluster, opts, dry_run=kw["dry_run"], output=output_format, quiet=kw["quiet"],
        env_files=kw["env_file"],
    )


@click.command("status", cls=KompoxCommand)
@app_target_options
@output_only_option
def status_cmd(app_id: str, app_name: str, output_format: str) -> None:
    """Print the app status (JSON by default).

    \b
    Examples:
      kompoxops app status
      kompoxops app status -A /ws/w1/prv/k3s1/cls/home/app/gitea | jq .ready
      kompoxops app status -o wide
    """
    from kompox.cli.app_run import run_status
    from kompox.cli.status_output import print_app_status

    rt = runtime(click.get_current_context())
    rt.prerun()
    print_app_status(rt.stdout, run_status(rt, app_id, app_name).to_json(), output_format)


@click.command("logs", cls=KompoxCommand)
@app_target_options
@click.option("-f", "--follow", is_flag=True, help="Stream until interrupted (Ctrl-C ends it with success).")
@click.option("--tail", default=200, show_default=True, help="Last N lines; 0 or less = all.")
@click.option("-c", "--container", default="", help="Container (compose service); needed for multi-container pods.")
def logs_cmd(app_id: str, app_name: str, follow: bool, tail: int, container: str) -> None:
    """Show the logs of an app container.

    \b
    Examples:
      kompoxops app logs -c gitea
      kompoxops app logs -c postgres -f --tail 0
    """
    from kompox.cli.app_run import run_logs

    rt = runtime(click.get_current_context())
    rt.prerun()
    run_logs(rt, app_id, app_name, container=container, follow=follow, tail=tail)


@click.command("exec", cls=KompoxCommand, context_settings=PASSTHROUGH)
@app_target_options
@click.option("-i", "--stdin", is_flag=True, help="Attach local stdin.")
@click.option("-t", "--tty", is_flag=True, help="Allocate a TTY (local terminal in raw mode).")
@click.option("--escape", default="~.", show_default=True, help="Detach sequence with -it; 'none' disables.")
@deprecated_short("-e", "escape", "--escape", "docker's -e sets environment variables", metavar="SEQ")
@click.option("-c", "--container", default="", help="Container (compose service).")
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
def exec_cmd(
    app_id: str, app_name: str, stdin: bool, tty: bool, escape: str, container: str, command: tuple[str, ...]
) -> None:
    """Run a command in an app container; exits with the command's exit code.

    \b
    Examples:
      kompoxops app exec -c gitea -- gitea admin user list
      kompoxops app exec -it -c postgres -- psql -U gitea
      kompoxops app exec -it --escape '^]' -c gitea -- sh
    """
    from kompox.cli.app_process import exit_with
    from kompox.cli.app_run import run_exec

    rt = runtime(click.get_current_context())
    rt.prerun()
    code = run_exec(rt, app_id, app_name, command, stdin=stdin, tty=tty, container=container, escape=escape)
    exit_with(code)


@click.command("tunnel", cls=KompoxCommand, context_settings=PASSTHROUGH)
@app_target_options
@click.option("-p", "--port", "ports", multiple=True, metavar="SPEC", help="LOCAL:REMOTE, PORT or :REMOTE (repeat).")
@click.option("--component", default="app", show_default=True, help="Component label value (app, box).")
@click.option("-S", "--service", default="", help="Compose service (validated; default: the first).")
@click.option("--address", default="localhost", show_default=True, help="Comma-separated listen addresses.")
@click.option("-q", "--quiet", is_flag=True, help="No 'Forwarding from' lines.")
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
def tunnel_cmd(
    app_id: str,
    app_name: str,
    ports: tuple[str, ...],
    component: str,
    service: str,
    address: str,
    quiet: bool,
    command: tuple[str, ...],
) -> None:
    """Forward local ports to the app pod (aliases: port-forward, pf).

    Without a command, forwards until Ctrl-C (reconnecting when the pod is
    replaced).  With a command after --, runs it once the tunnel is up, with
    KOMPOX_TUNNEL_HOST and KOMPOX_TUNNEL_PORT_<remote> set, and exits with its
    exit code.

    \b
    Examples:
      kompoxops app tunnel -p 3000
      kompoxops app pf -p 15432:5432 -- psql -h localhost -p 15432 -U gitea
      kompoxops app tunnel -p :22 -q -- sh -c 'ssh -p $KOMPOX_TUNNEL_PORT_22 git@localhost'
    """
    from kompox.cli.app_process import exit_with
    from kompox.cli.app_run import run_tunnel

    rt = runtime(click.get_current_context())
    rt.prerun()
    code = run_tunnel(
        rt,
        app_id,
        app_name,
        ports=ports,
        component=component,
        service=service,
        address=address,
        quiet=quiet,
        command=command,
    )
    exit_with(code)


@click.command("kubectl", cls=KompoxCommand, context_settings=PASSTHROUGH)
@app_target_options
@click.option("-R", "--refresh-kubeconfig", is_flag=True, help="Refresh the app context even if it looks current.")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def kubectl_cmd(app_id: str, app_name: str, refresh_kubeconfig: bool, args: tuple[str, ...]) -> None:
    """Run your kubectl against the app's namespace; exits with kubectl's exit code.

    Keeps a context <app>-<hash> for the app in $KOMPOX_DIR/kubeconfig (mode
    0600; refreshed from the provider when missing or with -R) and runs
    kubectl --context <app>-<hash> ARGS with KUBECONFIG set to that file.

    \b
    Examples:
      kompoxops app kubectl -- get pods
      kompoxops app kubectl -R -- describe deployment
    """
    from kompox.cli.app_kubectl import run_kubectl
    from kompox.cli.app_process import exit_with
    from kompox.domain.errors import ValidationError

    rt = runtime(click.get_current_context())
    if "--" not in rt.argv:
        raise ValidationError("'--' is required before kubectl arguments")
    rt.prerun()
    exit_with(run_kubectl(rt, app_id, app_name, args, refresh=refresh_kubeconfig))


APP_HELP = """Validate, deploy and operate the app.

\b
Examples:
  kompoxops app validate --out-manifest -        # print the Kubernetes manifest
  kompoxops app deploy --bootstrap-disks
  kompoxops app status
  kompoxops app logs -f
  kompoxops app exec -it -- sh
  kompoxops app destroy
"""


def build_app() -> KompoxGroup:
    app = KompoxGroup(
        name="app",
        help=APP_HELP,
        aliases={"port-forward": "tunnel", "pf": "tunnel"},
        callback=click.pass_context(bare_group_callback),
    )
    for command in (
        validate_cmd, deploy_cmd, destroy_cmd, move_cmd, status_cmd, exec_cmd, logs_cmd, tunnel_cmd, kubectl_cmd
    ):
        app.add_command(command)
    return app
