"""``kompoxops dns``: DNS records of the app's ingress hosts (kube-and-ops.md §9, cli.md §10.7).

Prints the per-record results, by default as JSON (``{"applied": [...]}`` /
``{"deleted": [...]}``; ``null`` when the app has no ingress host) — upstream
only logs them; they are logged here too.  ``-o table|wide`` prints one row
per record, ``-o name`` one ``dnsrecord/<fqdn>`` line per host.
"""

from __future__ import annotations

from typing import Any

import click

from kompox.cli.base import KompoxCommand, KompoxGroup, new_group, runtime
from kompox.cli.output import output_only_option
from kompox.domain.errors import KompoxError, NotFoundError


def _dns_options(func: Any) -> Any:
    for option in reversed(
        [
            click.option("-A", "--app-id", default="", help="App Resource ID (or name); default: ./kompoxapp.yml."),
            click.option("--app-name", default="", help="App name (backward-compatible selector)."),
            click.option("--component", default="app", show_default=True, help="Component whose Ingresses are used."),
            click.option("--strict", is_flag=True, help="Abort on the first failure (or host without IP, deploy)."),
            click.option("--dry-run", is_flag=True, help="Ask the provider what it would do; write nothing."),
            click.option("--zone", "zone_hint", default="", metavar="ZONE", help="Zone name or resource ID to use."),
            output_only_option,
        ]
    ):
        func = option(func)
    return func


def _run(verb: str, app_id: str, app_name: str, output_format: str, **opts: Any) -> None:
    from kompox.cli.cluster_support import ClusterKube, failed
    from kompox.cli.output import emit
    from kompox.logging import span
    from kompox.usecase.dns_records import DNSOptions, app_namespace, dns_deploy, dns_destroy

    rt = runtime(click.get_current_context())
    rt.prerun()
    session = rt.session()
    ctx = session.app(app_id, app_name)
    what = f"failed to {verb} DNS"
    if ctx.cluster is None:
        raise failed(
            rt, what, NotFoundError(f"cluster {ctx.app.cluster_id or '(none)'} of app {ctx.app.name} not found")
        )
    options = DNSOptions(**opts)
    use_case = dns_deploy if verb == "deploy" else dns_destroy
    try:
        namespace = app_namespace(ctx.workspace, ctx.provider, ctx.cluster, ctx.app)
        with span(f"CMD:dns.{verb}", ctx.app.id):
            kube = ClusterKube(session.kube(ctx.cluster))
            result = use_case(
                session.driver_for(ctx.cluster), kube, ctx.cluster, ctx.app, namespace=namespace, options=options
            )
    except KompoxError as err:
        raise failed(rt, what, err, ctx.cluster) from err
    emit(
        rt.stdout,
        output_format,
        kind="dnsrecord",
        value=result.to_json("applied" if verb == "deploy" else "deleted"),
        names=list(dict.fromkeys(r.fqdn for r in result.records)),
        headers=("FQDN", "TYPE", "ACTION", "MESSAGE"),
        rows=[(r.fqdn, r.type, r.action, r.message) for r in result.records],
    )


@click.command("deploy", cls=KompoxCommand)
@_dns_options
def deploy_cmd(
    app_id: str, app_name: str, component: str, strict: bool, dry_run: bool, zone_hint: str, output_format: str
) -> None:
    """Create or update an A record for every ingress host of the app (IP from the Ingress status).

    Hosts without an IP yet are skipped (an error with --strict).  Write failures
    are reported as "failed" and do not stop the others unless --strict.

    \b
    Examples:
      kompoxops dns deploy
      kompoxops dns deploy -A app1 --dry-run -o table
      kompoxops dns deploy --strict --zone example.com
    """
    _run(
        "deploy",
        app_id,
        app_name,
        output_format,
        component=component,
        strict=strict,
        dry_run=dry_run,
        zone_hint=zone_hint,
    )


@click.command("destroy", cls=KompoxCommand)
@_dns_options
def destroy_cmd(
    app_id: str, app_name: str, component: str, strict: bool, dry_run: bool, zone_hint: str, output_format: str
) -> None:
    """Delete the A, AAAA and CNAME records of every ingress host of the app.

    Run it before `app destroy` removes the Ingresses (or use `app destroy --update-dns`).

    \b
    Examples:
      kompoxops dns destroy
      kompoxops dns destroy --dry-run
    """
    _run(
        "destroy",
        app_id,
        app_name,
        output_format,
        component=component,
        strict=strict,
        dry_run=dry_run,
        zone_hint=zone_hint,
    )


DNS_HELP = """Apply or remove the DNS records of the app's ingress hosts.

\b
Examples:
  kompoxops dns deploy --dry-run
  kompoxops dns deploy --strict --zone example.com
  kompoxops dns destroy
"""


def build_dns() -> KompoxGroup:
    dns = new_group("dns", DNS_HELP)
    dns.add_command(deploy_cmd)
    dns.add_command(destroy_cmd)
    return dns
