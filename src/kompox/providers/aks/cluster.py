"""Cluster lifecycle on AKS: provision, deprovision, status, kubeconfig (driver-aks.md §9.1–9.3, §9.6)."""

from __future__ import annotations

from kompox.domain.errors import DriverError, DriverValidationError, KompoxError, ProviderAPIError
from kompox.domain.model import Cluster, ClusterStatus, ingress_namespace, ingress_service_account
from kompox.domain.model.cluster import INGRESS_SERVICE_NAME
from kompox.domain.options import ClusterDeprovisionOptions, ClusterProvisionOptions
from kompox.providers.aks import azure_aks, azure_resources
from kompox.providers.aks.arm_template import (
    OUT_AKS_CLUSTER_NAME,
    OUT_RESOURCE_GROUP_NAME,
    build_parameters,
    load_template,
)
from kompox.providers.aks.context import AKSContext
from kompox.providers.aks.kube_seam import close_kube
from kompox.providers.aks.naming import MAX_DEPLOYMENT_NAME
from kompox.providers.aks.span import (
    DEPROVISION_TIMEOUT,
    KUBECONFIG_TIMEOUT,
    PROVISION_TIMEOUT,
    Deadline,
    log,
    rewrap,
    span,
)

MAX_ENVIRONMENT_NAME = 64


def _cluster_rg(ctx: AKSContext, cluster: Cluster) -> str:
    try:
        return ctx.names.cluster_resource_group(cluster)
    except DriverValidationError as err:
        raise DriverValidationError(f"derive cluster resource group: {err.message}") from err


def _check_names(cluster: Cluster, deployment: str) -> None:
    if not cluster.name or len(cluster.name) > MAX_ENVIRONMENT_NAME:
        raise DriverValidationError(
            f"cluster name must be 1..{MAX_ENVIRONMENT_NAME} characters for the ARM template, got {cluster.name!r}"
        )
    if len(deployment) > MAX_DEPLOYMENT_NAME:
        raise DriverValidationError(
            f"ARM deployment name {deployment!r} has {len(deployment)} characters; Azure allows {MAX_DEPLOYMENT_NAME} "
            "(use a shorter cluster name or set AZURE_RESOURCE_GROUP_NAME)"
        )


def provision(ctx: AKSContext, cluster: Cluster, opts: ClusterProvisionOptions | None = None) -> None:
    """Deploy the embedded template at subscription scope; skip when already succeeded unless ``force``."""
    opts = opts or ClusterProvisionOptions()
    with span("ClusterProvision"):
        deadline = Deadline(PROVISION_TIMEOUT, "cluster provision")
        rg = _cluster_rg(ctx, cluster)
        name = ctx.names.deployment_name(cluster)
        _check_names(cluster, name)
        tags = ctx.names.cluster_tags(cluster)
        template = load_template()
        params = build_parameters(
            environment_name=cluster.name,
            location=ctx.location,
            resource_group_name=rg,
            ingress_namespace=ingress_namespace(cluster),
            ingress_service_account=ingress_service_account(cluster),
            tags=tags,
            cluster_settings=cluster.settings,
        )
        existing = azure_aks.get_deployment(ctx.clients, name)
        state = azure_aks.deployment_state(existing) if existing is not None else ""
        if state.lower() in azure_aks.RUNNING_STATES:
            raise azure_aks.provisioning_running_error(name, state)
        if existing is not None and state.lower() == "succeeded" and not opts.force:
            log.info("aks cluster already provisioned", extra={"deployment": name})
            return
        azure_aks.check_location_offers_aks(ctx.clients, ctx.location)
        _report(ctx, f"deploying ARM template {name} in {ctx.location} (this takes several minutes)")
        azure_aks.create_deployment(
            ctx.clients,
            name=name,
            location=ctx.location,
            tags=tags,
            template=template,
            parameters=params,
            deadline=deadline,
            progress=ctx.progress,
        )
        _report(ctx, f"deployment {name} succeeded")


def deprovision(ctx: AKSContext, cluster: Cluster, opts: ClusterDeprovisionOptions | None = None) -> None:
    """Delete the deployment record (best-effort), the cluster resource group, then purge its vaults."""
    with span("ClusterDeprovision"):
        deadline = Deadline(DEPROVISION_TIMEOUT, "cluster deprovision")
        rg = _cluster_rg(ctx, cluster)
        azure_aks.delete_deployment_best_effort(ctx.clients, ctx.names.deployment_name(cluster), deadline, ctx.progress)
        if not azure_resources.resource_group_exists(ctx.clients, rg):
            return
        vaults = azure_resources.key_vault_names(ctx.clients, rg)
        _report(ctx, f"deleting resource group {rg} (this takes several minutes)")
        azure_resources.delete_resource_group(ctx.clients, rg, deadline, ctx.progress)
        azure_resources.purge_deleted_vaults(ctx.clients, vaults, ctx.location)


def kubeconfig(ctx: AKSContext, cluster: Cluster) -> bytes:
    """Admin kubeconfig bytes of the cluster named in the deployment outputs."""
    clients = ctx.clients.bounded(KUBECONFIG_TIMEOUT)
    try:
        outputs = azure_aks.deployment_outputs(clients, ctx.names.deployment_name(cluster))
    except DriverError as err:
        raise rewrap("failed to get deployment outputs", err) from err
    rg = outputs.get(OUT_RESOURCE_GROUP_NAME)
    name = outputs.get(OUT_AKS_CLUSTER_NAME)
    for key, value in ((OUT_RESOURCE_GROUP_NAME, rg), (OUT_AKS_CLUSTER_NAME, name)):
        if not isinstance(value, str):
            raise DriverError(f"{key} not found in deployment outputs")
    return azure_aks.admin_kubeconfig(clients, str(rg), str(name))


def status(ctx: AKSContext, cluster: Cluster) -> ClusterStatus:
    """Never raises: unprovisioned clusters report ``provisioned=False``.

    An API server that does not answer or refuses the credentials is reported in
    ``unreachable`` (``cluster status`` fails on it) rather than as "not installed".
    """
    result = ClusterStatus(existing=cluster.existing)
    try:
        config = kubeconfig(ctx, cluster)
    except Exception as err:  # status must never raise (upstream contract)
        log.debug("cluster status: kubeconfig unavailable: %s", _short(err))
        return result
    result.provisioned = True
    kube = None
    try:
        kube = ctx.kube(config)
        ip, fqdn = kube.service_ingress(ingress_namespace(cluster), INGRESS_SERVICE_NAME)
    except Exception as err:
        log.debug("cluster status: ingress service not readable: %s", _short(err))
        if isinstance(err, ProviderAPIError) and err.status_code in (None, 401, 403):
            result.unreachable = str(err)  # no answer, or the credentials were refused: not "not installed"
        return result
    finally:
        if kube is not None:
            close_kube(kube)
    result.installed = True
    result.ingress_global_ip = ip
    result.ingress_fqdn = fqdn
    return result


def _short(err: BaseException) -> str:
    return str(err) if isinstance(err, KompoxError) else type(err).__name__


def _report(ctx: AKSContext, message: str) -> None:
    if ctx.progress is not None:
        ctx.progress(message)
    else:
        log.info(message)
