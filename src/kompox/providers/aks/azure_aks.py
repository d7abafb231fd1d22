"""ARM deployment create/delete/outputs, location check and admin kubeconfig (upstream ``azure_aks.go``)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from kompox.domain.errors import DriverError, DriverValidationError, ProviderAPIError
from kompox.providers.aks.arm_template import outputs_from_properties
from kompox.providers.aks.clients import AzureClients
from kompox.providers.aks.resource_id import resource_group_of
from kompox.providers.aks.span import (
    Deadline,
    Progress,
    api_error,
    describe_azure_error,
    is_auth_error,
    is_not_found,
    log,
    wait_poller,
)

AKS_PROVIDER_NAMESPACE = "Microsoft.ContainerService"
AKS_RESOURCE_TYPE = "managedClusters"
_MAX_FAILURE_LINES = 5


def get_deployment(clients: AzureClients, name: str) -> Any | None:
    """The subscription-scope deployment, or ``None`` when absent (404)."""
    from azure.core.exceptions import HttpResponseError

    try:
        return clients.deployments().deployments.get_at_subscription_scope(name)
    except HttpResponseError as err:
        if is_not_found(err):
            return None
        raise api_error("failed to get subscription deployment", err) from err


RUNNING_STATES = frozenset({"accepted", "running", "creating", "updating", "deleting", "waiting", "ready"})
"""Deployment provisioning states of an operation still in progress (ARM ProvisioningState)."""


def deployment_state(deployment: Any) -> str:
    """The deployment's ``provisioningState`` as text (``""`` when absent)."""
    state = getattr(getattr(deployment, "properties", None), "provisioning_state", None)
    return str(getattr(state, "value", state) or "")


def provisioning_running_error(name: str, state: str) -> DriverError:
    return DriverError(
        f"a provisioning is still running (deployment {name} is {state}); wait for it to finish, then retry"
    )


def deployment_outputs(clients: AzureClients, name: str) -> dict[str, Any]:
    """Upper-cased outputs of a **succeeded** deployment; the driver's only state store (§8.4).

    ARM keeps outputs only for a completed deployment: a re-provision that is
    still running, or that failed, replaced the record without them.  Those
    states are errors here (never an empty output map).
    """
    from azure.core.exceptions import HttpResponseError

    try:
        deployment = clients.deployments().deployments.get_at_subscription_scope(name)
    except HttpResponseError as err:
        raise api_error("failed to get subscription deployment", err) from err
    state = deployment_state(deployment)
    if state.lower() in RUNNING_STATES:
        raise provisioning_running_error(name, state)
    if state and state.lower() != "succeeded":
        raise DriverError(
            f"the last provisioning of the cluster {state.lower()} (deployment {name} is {state}); "
            "run cluster provision again"
        )
    properties = getattr(deployment, "properties", None)
    return outputs_from_properties(getattr(properties, "outputs", None))


def check_location_offers_aks(clients: AzureClients, location: str) -> None:
    """Raise a validation error when ``location`` lists no AKS managed clusters.

    Authentication failures are raised as they are; any other failure of the
    look-up itself is logged and ignored (the deployment would report it).
    """
    from azure.core.exceptions import HttpResponseError

    try:
        provider = clients.resources().providers.get(AKS_PROVIDER_NAMESPACE)
    except HttpResponseError as err:
        if is_auth_error(err) or err.status_code in (401, 403):
            raise api_error("check AKS availability in location", err) from err
        log.debug("AKS location check skipped: %s", describe_azure_error(err))
        return
    for rtype in getattr(provider, "resource_types", None) or []:
        if str(getattr(rtype, "resource_type", "")).lower() != AKS_RESOURCE_TYPE.lower():
            continue
        locations = {str(loc).replace(" ", "").lower() for loc in getattr(rtype, "locations", None) or []}
        if locations and location not in locations:
            raise DriverValidationError(
                f"location {location} does not offer {AKS_PROVIDER_NAMESPACE}/{AKS_RESOURCE_TYPE} "
                f"(check AZURE_LOCATION; e.g. {', '.join(sorted(locations)[:3])})"
            )
        return


def create_deployment(
    clients: AzureClients,
    *,
    name: str,
    location: str,
    tags: Mapping[str, str],
    template: Mapping[str, Any],
    parameters: Mapping[str, Any],
    deadline: Deadline,
    progress: Progress | None,
) -> None:
    """``begin_create_or_update_at_subscription_scope`` (mode Incremental) and wait."""
    from azure.core.exceptions import HttpResponseError
    from azure.mgmt.resource.deployments import models

    body = models.Deployment(
        location=location,
        tags=dict(tags),
        properties=models.DeploymentProperties(
            template=dict(template), parameters=dict(parameters), mode="Incremental"
        ),
    )
    client = clients.deployments()
    try:
        poller = client.deployments.begin_create_or_update_at_subscription_scope(name, body)
    except HttpResponseError as err:
        if _code(err) == "DeploymentActive":
            raise provisioning_running_error(name, "active") from err
        raise api_error("begin subscription deployment creation", err) from err
    try:
        wait_poller(poller, deadline, f"deployment {name}", progress)
    except HttpResponseError as err:
        failures = failed_operations(clients, name)
        detail = describe_azure_error(err)
        if failures:
            detail += "; failing resources: " + "; ".join(failures)
        raise ProviderAPIError(
            f"subscription deployment creation failed: {detail}", status_code=err.status_code, error_code=_code(err)
        ) from err


def _code(err: BaseException) -> str | None:
    code = getattr(getattr(err, "error", None), "code", None)
    return code if isinstance(code, str) else None


def failed_operations(clients: AzureClients, name: str) -> list[str]:
    """``<type>/<name>: <code>: <message>`` for failed operations, one level into nested deployments."""
    from azure.core.exceptions import HttpResponseError

    lines: list[str] = []
    client = clients.deployments()
    try:
        ops = list(client.deployment_operations.list_at_subscription_scope(name))
    except HttpResponseError as err:
        log.debug("list deployment operations failed: %s", describe_azure_error(err))
        return lines
    for op in ops:
        line = _failed_line(op)
        if line is None:
            continue
        target = getattr(op.properties, "target_resource", None)
        rtype = str(getattr(target, "resource_type", "") or "")
        rg = resource_group_of(str(getattr(target, "id", "") or ""))
        inner: list[str] = []
        if rtype.lower() == "microsoft.resources/deployments" and rg:
            try:
                nested = client.deployment_operations.list(rg, str(getattr(target, "resource_name", "")))
                inner = [sub for op2 in nested if (sub := _failed_line(op2)) is not None]
            except HttpResponseError as err:
                log.debug("list nested deployment operations failed: %s", describe_azure_error(err))
        lines.extend(inner or [line])
    return lines[:_MAX_FAILURE_LINES]


def _failed_line(op: Any) -> str | None:
    props = getattr(op, "properties", None)
    state = getattr(props, "provisioning_state", None)
    if props is None or str(getattr(state, "value", state)).lower() != "failed":
        return None
    target = getattr(props, "target_resource", None)
    where = "/".join(
        part for part in (getattr(target, "resource_type", None), getattr(target, "resource_name", None)) if part
    )
    error = getattr(getattr(props, "status_message", None), "error", None)
    code = getattr(error, "code", None)
    message = " ".join(str(getattr(error, "message", "") or "").split())
    return f"{where or 'unknown resource'}: {code}: {message}" if code else f"{where}: {message or 'failed'}"


def delete_deployment_best_effort(
    clients: AzureClients, name: str, deadline: Deadline, progress: Progress | None
) -> None:
    """Delete the deployment record; every failure is logged at debug and ignored."""
    from azure.core.exceptions import AzureError

    try:
        poller = clients.deployments().deployments.begin_delete_at_subscription_scope(name)
        wait_poller(poller, deadline, f"delete deployment {name}", progress)
    except (AzureError, ProviderAPIError) as err:
        if is_auth_error(err):
            raise api_error("delete subscription deployment", err) from err
        log.debug("delete subscription deployment %s ignored: %s", name, describe_azure_error(err))


def admin_kubeconfig(clients: AzureClients, resource_group: str, cluster_name: str) -> bytes:
    """``kubeconfigs[0].value`` of ``list_cluster_admin_credentials``; bytes only, never logged."""
    from azure.core.exceptions import HttpResponseError

    try:
        creds = clients.container_service().managed_clusters.list_cluster_admin_credentials(
            resource_group, cluster_name
        )
    except HttpResponseError as err:
        raise api_error("failed to get cluster credentials", err) from err
    kubeconfigs = getattr(creds, "kubeconfigs", None) or []
    value = getattr(kubeconfigs[0], "value", None) if kubeconfigs else None
    if isinstance(value, str):  # defensive: some SDK versions leave the base64 text undecoded
        value = base64.b64decode(value)
    if not value:
        raise DriverError("no kubeconfig found for cluster")
    return bytes(value)
