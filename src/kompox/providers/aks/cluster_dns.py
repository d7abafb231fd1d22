"""``cluster_dns_apply`` on Azure DNS zones: idempotent and best-effort (§9.8, seed 000)."""

from __future__ import annotations

from kompox.domain.errors import DriverError, DriverValidationError, KompoxError
from kompox.domain.model import Cluster, DNSRecordSet
from kompox.domain.options import ClusterDNSApplyOptions
from kompox.providers.aks import azure_dns
from kompox.providers.aks.context import AKSContext
from kompox.providers.aks.resource_id import reason
from kompox.providers.aks.span import describe_azure_error, log


def _soft_fail(strict: bool, err: KompoxError) -> None:
    if strict:
        raise err
    log.warning("DNS apply skipped: %s", err)


def dns_apply(
    ctx: AKSContext, cluster: Cluster, rset: DNSRecordSet, opts: ClusterDNSApplyOptions | None = None
) -> None:
    """Upsert (or delete, when ``rdata`` is empty) one record set in the matching zone.

    Invalid input raises :class:`DriverValidationError` even when not strict;
    configuration gaps and write failures raise only with ``strict``.
    """
    from azure.core.exceptions import AzureError

    opts = opts or ClusterDNSApplyOptions()
    record = azure_dns.normalize_record(rset)  # raises on invalid input, strict or not
    try:
        zones = azure_dns.collect_zone_ids(cluster.settings)
    except DriverValidationError as err:
        _soft_fail(opts.strict, DriverValidationError(f"collect DNS zone IDs: {reason(err)}"))
        return
    if not zones:
        _soft_fail(opts.strict, DriverError("no DNS zones configured"))
        return
    zone, hint_ignored = azure_dns.select_zone(zones, record.fqdn, opts.zone_hint)
    if hint_ignored:
        log.warning("DNS zone hint %r matches no configured zone; using longest match", opts.zone_hint)
    if zone is None:
        _soft_fail(opts.strict, DriverError(f"select DNS zone: no matching DNS zone found for FQDN {record.fqdn}"))
        return
    action = "delete" if not record.rdata else "create/update"
    if opts.dry_run:
        log.info(
            "DNS dry run: %s %s %s in zone %s",
            action,
            record.type,
            record.fqdn,
            zone.name,
            extra={
                "cluster": cluster.name,
                "zoneId": zone.id,
                "ttl": record.ttl,
                "rdata": list(record.rdata),
                "strict": opts.strict,
            },
        )
        return
    try:
        if record.rdata:
            azure_dns.upsert_record(ctx.clients, zone, record)
        else:
            azure_dns.delete_record(ctx.clients, zone, record)
    except DriverError as err:
        _soft_fail(opts.strict, err)
    except AzureError as err:  # transport-level failures (DNS resolution, TLS, timeouts)
        _soft_fail(opts.strict, DriverError(f"{action} DNS record: {describe_azure_error(err)}"))
