"""The embedded ARM template: loading, parameters sent and outputs read (driver-aks.md §8)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from kompox.domain.errors import DriverError

TEMPLATE_RESOURCE = "arm/main.json"

# (template parameter, cluster setting) in upstream ``paramSettingMap`` order (§3.5).
PARAM_SETTING_MAP: tuple[tuple[str, str], ...] = (
    ("aksSystemVmSize", "AZURE_AKS_SYSTEM_VM_SIZE"),
    ("aksSystemVmDiskType", "AZURE_AKS_SYSTEM_VM_DISK_TYPE"),
    ("aksSystemVmDiskSizeGB", "AZURE_AKS_SYSTEM_VM_DISK_SIZE_GB"),
    ("aksSystemVmPriority", "AZURE_AKS_SYSTEM_VM_PRIORITY"),
    ("aksSystemVmZones", "AZURE_AKS_SYSTEM_VM_ZONES"),
    ("aksUserVmSize", "AZURE_AKS_USER_VM_SIZE"),
    ("aksUserVmDiskType", "AZURE_AKS_USER_VM_DISK_TYPE"),
    ("aksUserVmDiskSizeGB", "AZURE_AKS_USER_VM_DISK_SIZE_GB"),
    ("aksUserVmPriority", "AZURE_AKS_USER_VM_PRIORITY"),
    ("aksUserVmZones", "AZURE_AKS_USER_VM_ZONES"),
)

BASE_PARAMETERS: tuple[str, ...] = (
    "environmentName",
    "location",
    "resourceGroupName",
    "ingressServiceAccountName",
    "ingressServiceAccountNamespace",
    "tags",
)

OUT_LOCATION = "AZURE_LOCATION"
OUT_TENANT_ID = "AZURE_TENANT_ID"
OUT_SUBSCRIPTION_ID = "AZURE_SUBSCRIPTION_ID"
OUT_RESOURCE_GROUP_NAME = "AZURE_RESOURCE_GROUP_NAME"
OUT_AKS_CLUSTER_NAME = "AZURE_AKS_CLUSTER_NAME"
OUT_AKS_CLUSTER_PRINCIPAL_ID = "AZURE_AKS_CLUSTER_PRINCIPAL_ID"
OUT_AKS_KUBELET_PRINCIPAL_ID = "AZURE_AKS_KUBELET_PRINCIPAL_ID"
OUT_AKS_OIDC_ISSUER_URL = "AZURE_AKS_OIDC_ISSUER_URL"
OUT_INGRESS_SA_NAMESPACE = "AZURE_INGRESS_SERVICE_ACCOUNT_NAMESPACE"
OUT_INGRESS_SA_NAME = "AZURE_INGRESS_SERVICE_ACCOUNT_NAME"
OUT_INGRESS_SA_PRINCIPAL_ID = "AZURE_INGRESS_SERVICE_ACCOUNT_PRINCIPAL_ID"
OUT_INGRESS_SA_CLIENT_ID = "AZURE_INGRESS_SERVICE_ACCOUNT_CLIENT_ID"

OUTPUTS_USED: tuple[str, ...] = (
    OUT_TENANT_ID,
    OUT_RESOURCE_GROUP_NAME,
    OUT_AKS_CLUSTER_NAME,
    OUT_AKS_CLUSTER_PRINCIPAL_ID,
    OUT_AKS_KUBELET_PRINCIPAL_ID,
    OUT_INGRESS_SA_NAMESPACE,
    OUT_INGRESS_SA_NAME,
    OUT_INGRESS_SA_PRINCIPAL_ID,
    OUT_INGRESS_SA_CLIENT_ID,
)
"""Outputs the driver reads; the shipped template must declare every one."""


def template_text() -> str:
    return resources.files("kompox.providers.aks").joinpath(TEMPLATE_RESOURCE).read_text(encoding="utf-8")


def load_template() -> dict[str, Any]:
    try:
        data = json.loads(template_text())
    except (OSError, ValueError) as err:
        raise DriverError(f"unmarshal embedded template: {err}") from err
    if not isinstance(data, dict):
        raise DriverError("unmarshal embedded template: not a JSON object")
    return data


def build_parameters(
    *,
    environment_name: str,
    location: str,
    resource_group_name: str,
    ingress_namespace: str,
    ingress_service_account: str,
    tags: Mapping[str, str],
    cluster_settings: Mapping[str, str] | None,
) -> dict[str, dict[str, Any]]:
    """Template parameters, each wrapped as ``{"value": …}``.

    VM settings are forwarded when the key is present, even with an empty value (upstream parity).
    """
    params: dict[str, dict[str, Any]] = {
        "environmentName": {"value": environment_name},
        "location": {"value": location},
        "resourceGroupName": {"value": resource_group_name},
        "ingressServiceAccountName": {"value": ingress_service_account},
        "ingressServiceAccountNamespace": {"value": ingress_namespace},
        "tags": {"value": dict(tags)},
    }
    settings = cluster_settings or {}
    for param, key in PARAM_SETTING_MAP:
        if key in settings:
            params[param] = {"value": str(settings[key])}
    return params


def outputs_from_properties(outputs: Any) -> dict[str, Any]:
    """Upper-cased output values from a deployment's ``properties.outputs``."""
    if outputs is None:
        raise DriverError("deployment has no outputs")
    if not isinstance(outputs, Mapping):
        raise DriverError("deployment outputs has unexpected type")
    result: dict[str, Any] = {}
    for key, entry in outputs.items():
        if isinstance(entry, Mapping) and "value" in entry:
            result[str(key).upper()] = entry["value"]
    return result


def output_str(outputs: Mapping[str, Any], key: str) -> str:
    """A string output, or ``""`` when absent or not a string."""
    value = outputs.get(key)
    return value if isinstance(value, str) else ""
