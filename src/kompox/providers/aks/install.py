"""Cluster install/uninstall: Azure role grants here, in-cluster work through the kube seam (§9.4, §9.7).

Order: deployment outputs are read and checked first, then the best-effort role
assignments (Key Vault secrets, DNS zones, registries) are made, then the
in-cluster steps run (namespace, workload-identity ServiceAccount,
SecretProviderClasses, Traefik, then the per-node zone labels of multi-zone
pools: :mod:`kompox.kube.node_zones`).  Upstream connects to the cluster first; doing
the Azure side first means the grants exist even when the cluster is not
reachable yet.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kompox.domain.errors import DriverError, DriverValidationError, KompoxError
from kompox.domain.model import LABEL_NODE_ZONE, Cluster, ingress_namespace, ingress_service_account
from kompox.domain.options import ClusterInstallOptions, ClusterUninstallOptions
from kompox.providers.aks import azure_aks, azure_cr, azure_dns, azure_kv
from kompox.providers.aks.arm_template import (
    OUT_AKS_CLUSTER_PRINCIPAL_ID,
    OUT_AKS_KUBELET_PRINCIPAL_ID,
    OUT_INGRESS_SA_CLIENT_ID,
    OUT_INGRESS_SA_NAME,
    OUT_INGRESS_SA_NAMESPACE,
    OUT_INGRESS_SA_PRINCIPAL_ID,
    OUT_TENANT_ID,
    output_str,
)
from kompox.providers.aks.azure_roles import ROLE_ACR_PULL, ROLE_DNS_ZONE_CONTRIBUTOR, ensure_role
from kompox.providers.aks.cluster import kubeconfig
from kompox.providers.aks.context import AKSContext
from kompox.providers.aks.kube_seam import (
    DEFAULT_CERT_EMAIL,
    WORKLOAD_IDENTITY_CLIENT,
    WORKLOAD_IDENTITY_TENANT,
    IngressKube,
    TraefikInstall,
    close_kube,
)
from kompox.providers.aks.secret import KeyVaultTLS, build_key_vault_tls
from kompox.providers.aks.span import (
    INSTALL_TIMEOUT,
    UNINSTALL_TIMEOUT,
    describe_azure_error,
    log,
    log_progress,
    rewrap,
    span,
)


def _grant(ctx: AKSContext, tag: str, scope: str, principal: str, role: str) -> bool:
    from azure.core.exceptions import AzureError

    try:
        ensure_role(ctx.clients, scope, principal, role)
    except (DriverError, AzureError) as err:
        text = str(err) if isinstance(err, KompoxError) else describe_azure_error(err)
        log.warning("AKS:%s/efail", tag, extra={"principalId": principal, "scope": scope, "err": text})
        return False
    log.info("AKS:%s/eok", tag, extra={"principalId": principal, "scope": scope})
    return True


def assign_roles(ctx: AKSContext, cluster: Cluster, outputs: dict[str, Any]) -> None:
    """Best-effort grants: Key Vault secrets (ingress identity), DNS zones (cluster), ACR (kubelet)."""
    from azure.core.exceptions import AzureError

    certificates = cluster.ingress.certificates if cluster.ingress else []
    ingress_principal = output_str(outputs, OUT_INGRESS_SA_PRINCIPAL_ID)
    if certificates and ingress_principal:
        try:
            if azure_kv.assign_key_vault_roles(ctx.clients, ingress_principal, certificates):
                log.warning("failed to assign Key Vault roles: some key vault role assignments failed")
        except (DriverError, AzureError) as err:
            log.warning("failed to assign Key Vault roles: %s", err)

    cluster_principal = output_str(outputs, OUT_AKS_CLUSTER_PRINCIPAL_ID)
    if not cluster_principal:
        log.warning("AKS cluster principal ID not available, skipping DNS zone role assignments")
    else:
        try:
            for zone in azure_dns.collect_zone_ids(cluster.settings):
                _grant(ctx, "RoleDNS", zone.id, cluster_principal, ROLE_DNS_ZONE_CONTRIBUTOR)
        except DriverValidationError as err:
            log.warning("skipping DNS zone role assignments: %s", err)

    kubelet_principal = output_str(outputs, OUT_AKS_KUBELET_PRINCIPAL_ID)
    if not kubelet_principal:
        log.warning("AKS kubelet principal ID not available, skipping ACR role assignments")
    else:
        try:
            for registry in azure_cr.collect_registry_ids(cluster.settings):
                _grant(ctx, "RoleCR", registry.id, kubelet_principal, ROLE_ACR_PULL)
        except DriverValidationError as err:
            log.warning("skipping ACR role assignments: %s", err)


def checked_outputs(ctx: AKSContext, cluster: Cluster) -> dict[str, Any]:
    """Deployment outputs with the ingress identity consistency checks of §9.4 step 3."""
    try:
        outputs = azure_aks.deployment_outputs(ctx.clients, ctx.names.deployment_name(cluster))
    except DriverError as err:
        raise rewrap("read deployment outputs", err) from err
    ns, sa = ingress_namespace(cluster), ingress_service_account(cluster)
    out_ns, out_sa = output_str(outputs, OUT_INGRESS_SA_NAMESPACE), output_str(outputs, OUT_INGRESS_SA_NAME)
    if not out_ns or not out_sa:
        raise DriverError(f"deployment outputs must include {OUT_INGRESS_SA_NAMESPACE} and {OUT_INGRESS_SA_NAME}")
    if (out_ns, out_sa) != (ns, sa):
        raise DriverError(
            f"deployment outputs mismatch: expected {ns}/{sa}, got {out_ns}/{out_sa} "
            "(re-provision the cluster after changing ingress settings)"
        )
    for key in (OUT_TENANT_ID, OUT_INGRESS_SA_CLIENT_ID):
        if not output_str(outputs, key):
            raise DriverError(f"deployment outputs must include non-empty {key}")
    return outputs


def _certs_yaml(tls: KeyVaultTLS) -> str:
    import yaml

    return str(yaml.safe_dump({"tls": {"certificates": tls.cert_files}}, sort_keys=True, default_flow_style=False))


def traefik_install(cluster: Cluster, tls: KeyVaultTLS | None) -> TraefikInstall:
    email = cluster.ingress.cert_email if cluster.ingress and cluster.ingress.cert_email else DEFAULT_CERT_EMAIL
    spec = TraefikInstall(
        namespace=ingress_namespace(cluster), service_account=ingress_service_account(cluster), cert_email=email
    )
    if tls is not None:
        spec.external_traffic_policy = "Local"
        spec.tls_mounts = list(tls.mounts)
        spec.extra_config_files = {"certs.yaml": _certs_yaml(tls)}
    return spec


def _connect(ctx: AKSContext, cluster: Cluster) -> IngressKube:
    try:
        config = kubeconfig(ctx, cluster)
    except KompoxError as err:
        raise rewrap("get kubeconfig", err) from err
    return ctx.kube(config)


def install(ctx: AKSContext, cluster: Cluster, opts: ClusterInstallOptions | None = None) -> None:
    with span("ClusterInstall"):
        ctx = replace(ctx, clients=ctx.clients.bounded(INSTALL_TIMEOUT))
        outputs = checked_outputs(ctx, cluster)
        certificates = cluster.ingress.certificates if cluster.ingress else []
        tls: KeyVaultTLS | None = None
        if certificates:
            try:
                tls = build_key_vault_tls(
                    certificates,
                    ingress_namespace(cluster),
                    output_str(outputs, OUT_TENANT_ID),
                    output_str(outputs, OUT_INGRESS_SA_CLIENT_ID),
                )
            except DriverValidationError as err:
                raise rewrap("ensure ingress TLS from key vault", err) from err
        assign_roles(ctx, cluster, outputs)
        kube = _connect(ctx, cluster)
        try:
            ns, sa = ingress_namespace(cluster), ingress_service_account(cluster)
            kube.ensure_namespace(ns)
            kube.ensure_service_account(
                ns,
                sa,
                {
                    WORKLOAD_IDENTITY_TENANT: output_str(outputs, OUT_TENANT_ID),
                    WORKLOAD_IDENTITY_CLIENT: output_str(outputs, OUT_INGRESS_SA_CLIENT_ID),
                },
                False,
            )
            if tls is not None and tls.secret_provider_classes:
                kube.apply(tls.secret_provider_classes, ns)
            opts = opts or ClusterInstallOptions()
            kube.install_traefik(traefik_install(cluster, tls), timeout=opts.timeout if opts.wait else 0.0)
            _label_node_zones(ctx, kube)
        finally:
            close_kube(kube)


def _label_node_zones(ctx: AKSContext, kube: IngressKube) -> None:
    """Per-node zone labels for the nodes of multi-zone pools (:mod:`kompox.kube.node_zones`); never fatal."""
    report = ctx.progress or log_progress
    try:
        labelled, failed = kube.label_node_zones()
    except KompoxError as err:
        report(f"warning: node zone labels not set: {err}")
        return
    for node, zone in labelled:
        report(f"node {node}: labelled {LABEL_NODE_ZONE}={zone} (from its topology.kubernetes.io/zone)")
    for line in failed:
        report(f"warning: {line}")


def uninstall(ctx: AKSContext, cluster: Cluster, opts: ClusterUninstallOptions | None = None) -> None:
    """Remove Traefik and the ingress namespace; role assignments and Azure resources stay."""
    with span("ClusterUninstall"):
        ctx = replace(ctx, clients=ctx.clients.bounded(UNINSTALL_TIMEOUT))
        kube = _connect(ctx, cluster)
        try:
            ns = ingress_namespace(cluster)
            kube.uninstall_traefik(ns)
            kube.delete_namespace(ns, wait_timeout=(opts or ClusterUninstallOptions()).wait_timeout)
        finally:
            close_kube(kube)
