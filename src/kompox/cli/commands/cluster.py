"""``kompoxops cluster``: provision, install and operate the cluster (cli.md §10.4).

Lifecycle commands run synchronously with progress lines on stderr; the only
gates are ``existing: true`` (provision/deprovision skip unless ``--force``)
and the protection policy (ADR-013, exit 7, ``--force`` does not bypass it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from kompox.cli.base import KompoxCommand, KompoxGroup, new_group, parse_duration, runtime
from kompox.cli.cluster_support import (
    cluster_options,
    cluster_target,
    failed,
    legacy_app_namespace,
    progress_to_stderr,
)
from kompox.cli.output import emit, output_option
from kompox.domain.errors import KompoxError

LIFECYCLE_FAILURE = {
    "provision": "failed to provision cluster {name}",
    "deprovision": "failed to deprovision cluster {name}",
    "install": "failed to install cluster resources for {name}",
    "uninstall": "failed to uninstall cluster resources for {name}",
}


def _lifecycle(verb: str, cluster_id: str, cluster_name: str, force: bool, **wait: Any) -> None:
    from kompox.logging import span
    from kompox.usecase import cluster_lifecycle as uc

    use_case: Callable[..., uc.ClusterOpResult] = {
        "provision": uc.cluster_provision,
        "deprovision": uc.cluster_deprovision,
        "install": uc.cluster_install,
        "uninstall": uc.cluster_uninstall,
    }[verb]
    rt = runtime(click.get_current_context())
    rt.prerun()
    t = cluster_target(rt, cluster_id, cluster_name)
    try:
        with progress_to_stderr(rt.stderr), span(f"CMD:cluster.{verb}", t.cluster.id):
            use_case(t.port, t.cluster, force=force, **wait)
    except KompoxError as err:
        raise failed(rt, LIFECYCLE_FAILURE[verb].format(name=t.cluster.name), err, t.cluster) from err


def _force_option(help_text: str) -> Callable[[Any], Any]:
    return click.option("--force", is_flag=True, help=help_text)


def _wait_options(what: str) -> Callable[[Any], Any]:
    """``--wait/--no-wait`` and ``--timeout DURATION`` (default 5m)."""

    def decorate(func: Any) -> Any:
        func = click.option(
            "--timeout", default="5m", show_default=True, metavar="DURATION", help=f"Limit of the wait for {what}."
        )(func)
        return click.option("--wait/--no-wait", default=True, show_default=True, help=f"Wait for {what}.")(func)

    return decorate


def _waiting(wait: bool, timeout: str) -> dict[str, Any]:
    return {"wait": wait, "timeout": parse_duration(timeout)}


@click.command("provision", cls=KompoxCommand)
@cluster_options
@_force_option("Re-run provisioning even when converged (driver-defined); also acts on existing: true clusters.")
def provision_cmd(cluster_id: str, cluster_name: str, force: bool) -> None:
    """Create the Kubernetes cluster (cloud side) and wait for it.

    A cluster marked `existing: true` is skipped unless --force.  Protection
    (spec.protection.provisioning) blocks updates under readOnly even with --force.

    \b
    Examples:
      kompoxops cluster provision
      kompoxops cluster provision --cluster-id /ws/w1/prv/aks1/cls/c1 --force
    """
    _lifecycle("provision", cluster_id, cluster_name, force)


@click.command("deprovision", cls=KompoxCommand)
@cluster_options
@_force_option("Passed to the driver; also acts on existing: true clusters. Does not bypass protection.")
def deprovision_cmd(cluster_id: str, cluster_name: str, force: bool) -> None:
    """Delete the Kubernetes cluster (cloud side); app disks and snapshots are kept.

    \b
    Examples:
      kompoxops cluster deprovision
      kompoxops cluster deprovision --cluster-name c1
    """
    _lifecycle("deprovision", cluster_id, cluster_name, force)


@click.command("install", cls=KompoxCommand)
@cluster_options
@_force_option("Passed to the driver; the aks and k3s drivers refuse it (install always re-applies).")
@_wait_options("the ingress controller to roll out")
def install_cmd(cluster_id: str, cluster_name: str, force: bool, wait: bool, timeout: str) -> None:
    """Install the in-cluster shared resources: the Traefik ingress controller (and AKS identities).

    A Traefik that already serves IngressClass `traefik` in another namespace
    (K3s ships one) is adopted, not duplicated.

    Waits (up to --timeout, default 5m) until the controller has rolled out;
    --no-wait returns once the objects are applied.

    \b
    Examples:
      kompoxops cluster install
      kompoxops cluster install --cluster-id /ws/demo/prv/k3s1/cls/home
      kompoxops cluster install --timeout 10m
      kompoxops cluster install --no-wait
    """
    _lifecycle("install", cluster_id, cluster_name, force, **_waiting(wait, timeout))


@click.command("uninstall", cls=KompoxCommand)
@cluster_options
@_force_option("Passed to the driver; the aks and k3s drivers refuse it. Does not bypass protection.")
@_wait_options("a deleted ingress namespace to be gone")
def uninstall_cmd(cluster_id: str, cluster_name: str, force: bool, wait: bool, timeout: str) -> None:
    """Remove what `cluster install` added; an adopted Traefik is left in place.

    When the ingress namespace is deleted, waits (up to --timeout) until it
    is gone, so that a `cluster install` can follow at once.

    \b
    Examples:
      kompoxops cluster uninstall
      kompoxops cluster uninstall --no-wait
    """
    _lifecycle("uninstall", cluster_id, cluster_name, force, **_waiting(wait, timeout))


@click.command("status", cls=KompoxCommand)
@cluster_options
@output_option
def status_cmd(cluster_id: str, cluster_name: str, output_format: str) -> None:
    """Print the cluster status (JSON by default).

    JSON/YAML keys: existing, provisioned, installed, ingressGlobalIP and
    ingressFQDN (when known), cluster_id, cluster_name.  -o table prints one
    row; -o wide adds the ingress FQDN and the Resource ID.

    \b
    Examples:
      kompoxops cluster status
      kompoxops cluster status -K /ws/w1/prv/aks1/cls/c1 | jq .installed
      kompoxops cluster status -o table
      kompoxops cluster status -o yaml
    """
    from kompox.usecase.cluster_lifecycle import cluster_status

    rt = runtime(click.get_current_context())
    rt.prerun()
    t = cluster_target(rt, cluster_id, cluster_name)
    try:
        # a driver's warning (e.g. unreachable API server) explains "provisioned": false
        with progress_to_stderr(rt.stderr):
            result = cluster_status(t.port, t.cluster)
    except KompoxError as err:
        raise failed(rt, "failed to get cluster status", err, t.cluster) from err
    status = result.to_json()
    flags = [str(status.get(k, "")).lower() for k in ("existing", "provisioned", "installed")]
    emit(
        rt.stdout,
        output_format,
        kind="cluster",
        value=status,
        names=[t.cluster.name],
        headers=("NAME", "EXISTING", "PROVISIONED", "INSTALLED", "INGRESS-IP"),
        rows=[(t.cluster.name, *flags, status.get("ingressGlobalIP", ""))],
        wide_headers=("INGRESS-FQDN", "ID"),
        wide_rows=[(status.get("ingressFQDN", ""), t.cluster.id)],
    )


@click.command("kubeconfig", cls=KompoxCommand)
@cluster_options
@click.option("-o", "--out", default="", metavar="FILE", help="Write to FILE (mode 0600); '-' = stdout (default).")
@click.option("--merge", is_flag=True, help="Merge into a kubeconfig file (wins over --out).")
@click.option(
    "--kubeconfig",
    "kubeconfig_path",
    default="",
    metavar="PATH",
    help="Merge target (default: $KUBECONFIG or ~/.kube/config).",
)
@click.option(
    "--context", default="", metavar="NAME", help="Context (and cluster/user) name; default kompoxops-<cluster>."
)
@click.option("--namespace", default="", metavar="NS", help="Default namespace of the context.")
@click.option("--set-current", is_flag=True, help="Make the merged context current.")
@click.option("--force", is_flag=True, help="Replace same-named entries (else new ones get the suffix -1, -2 and on).")
@click.option("--format", "output_format", default="yaml", metavar="yaml|json", help="stdout format.")
@click.option("--dry-run", is_flag=True, help="With --merge: print what would change, write nothing.")
def kubeconfig_cmd(
    cluster_id: str,
    cluster_name: str,
    out: str,
    merge: bool,
    kubeconfig_path: str,
    context: str,
    namespace: str,
    set_current: bool,
    force: bool,
    output_format: str,
    dry_run: bool,
) -> None:
    """Print, save or merge the cluster's kubeconfig (admin credentials: handle with care).

    Here -o is --out, the file to write (kept for existing scripts); the
    format on stdout is --format yaml|json.  It is the one command whose -o
    is not the output format.

    \b
    Examples:
      kompoxops cluster kubeconfig > /tmp/kc && chmod 600 /tmp/kc
      kompoxops cluster kubeconfig -o ~/.kube/home.yaml
      kompoxops cluster kubeconfig --merge --set-current
      kompoxops cluster kubeconfig --merge --kubeconfig ./kc --context home --namespace web --dry-run
    """
    from kompox.cli.cluster_kubeconfig import KubeconfigRequest, emit_kubeconfig

    request = KubeconfigRequest(
        out, merge, kubeconfig_path, context, namespace, set_current, force, output_format, dry_run
    )
    request.check()
    rt = runtime(click.get_current_context())
    rt.prerun()
    t = cluster_target(rt, cluster_id, cluster_name)
    try:
        data = t.driver().cluster_kubeconfig(t.cluster)
    except KompoxError as err:
        raise failed(rt, "failed to get cluster kubeconfig", err, t.cluster) from err
    namespace = "" if namespace else legacy_app_namespace(rt, t)
    summary = emit_kubeconfig(data, t.cluster.name, request, rt.env, namespace, out=rt.stdout, errors=rt.stderr)
    if summary:
        rt.say(summary)


@click.command("logs", cls=KompoxCommand)
@cluster_options
@click.option("-f", "--follow", is_flag=True, help="Stream until interrupted.")
@click.option("--tail", default=200, show_default=True, metavar="N", help="Last N lines; 0 or less = all.")
@click.option("-c", "--container", default="", metavar="NAME", help="Container in the Traefik pod.")
def logs_cmd(cluster_id: str, cluster_name: str, follow: bool, tail: int, container: str) -> None:
    """Show the log of the Traefik ingress pod (adopted controllers included).

    \b
    Examples:
      kompoxops cluster logs
      kompoxops cluster logs -f --tail 20
    """
    from kompox.usecase.cluster_logs import cluster_logs

    rt = runtime(click.get_current_context())
    rt.prerun()
    t = cluster_target(rt, cluster_id, cluster_name)
    try:
        cluster_logs(t.kube(), t.cluster, rt.binary(rt.stdout), container=container, follow=follow, tail_lines=tail)
    except KompoxError as err:
        raise failed(rt, "", err, t.cluster) from err
    except KeyboardInterrupt:
        if not follow:
            raise
        # interrupting a follow is how it ends: success (cli.md §10.4.7)


CLUSTER_HELP = """Provision and operate the Kubernetes cluster.

\b
Examples:
  kompoxops cluster provision                     # create the cluster (AKS; K3s: existing)
  kompoxops cluster install                       # Traefik ingress and shared resources
  kompoxops cluster status --cluster-id /ws/w1/prv/aks1/cls/c1
  kompoxops cluster kubeconfig --merge --set-current
  kompoxops cluster nodepool list --format table
"""


def build_cluster() -> KompoxGroup:
    cluster = new_group("cluster", CLUSTER_HELP)
    for cmd in (provision_cmd, deprovision_cmd, install_cmd, uninstall_cmd, status_cmd, kubeconfig_cmd, logs_cmd):
        cluster.add_command(cmd)
    from kompox.cli.commands.nodepool import build_nodepool

    cluster.add_command(build_nodepool())
    return cluster
