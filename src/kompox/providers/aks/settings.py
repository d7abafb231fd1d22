"""AKS provider and cluster settings: keys, defaults, validation (driver-aks.md §3).

Everything here is pure: settings maps in, a validated :class:`AKSProviderSettings`
out, or a one-line :class:`DriverConfigError`.  No Azure SDK is imported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from kompox.domain.errors import DriverConfigError

# --- provider settings keys -------------------------------------------------

AZURE_SUBSCRIPTION_ID = "AZURE_SUBSCRIPTION_ID"
AZURE_LOCATION = "AZURE_LOCATION"
AZURE_AUTH_METHOD = "AZURE_AUTH_METHOD"
AZURE_TENANT_ID = "AZURE_TENANT_ID"
AZURE_CLIENT_ID = "AZURE_CLIENT_ID"
AZURE_CLIENT_SECRET = "AZURE_CLIENT_SECRET"
AZURE_FEDERATED_TOKEN_FILE = "AZURE_FEDERATED_TOKEN_FILE"
AZURE_RESOURCE_PREFIX = "AZURE_RESOURCE_PREFIX"
AZURE_CLOUD = "AZURE_CLOUD"  # Python extra: sovereign clouds

# --- cluster / app settings keys --------------------------------------------

AZURE_RESOURCE_GROUP_NAME = "AZURE_RESOURCE_GROUP_NAME"
AZURE_AKS_DNS_ZONE_RESOURCE_IDS = "AZURE_AKS_DNS_ZONE_RESOURCE_IDS"
AZURE_AKS_CONTAINER_REGISTRY_RESOURCE_IDS = "AZURE_AKS_CONTAINER_REGISTRY_RESOURCE_IDS"

AUTH_CLIENT_SECRET = "client_secret"
AUTH_CLIENT_CERTIFICATE = "client_certificate"
AUTH_MANAGED_IDENTITY = "managed_identity"
AUTH_WORKLOAD_IDENTITY = "workload_identity"
AUTH_AZURE_CLI = "azure_cli"
AUTH_AZURE_DEVELOPER_CLI = "azure_developer_cli"
AUTH_METHODS: tuple[str, ...] = (
    AUTH_CLIENT_SECRET,
    AUTH_CLIENT_CERTIFICATE,
    AUTH_MANAGED_IDENTITY,
    AUTH_WORKLOAD_IDENTITY,
    AUTH_AZURE_CLI,
    AUTH_AZURE_DEVELOPER_CLI,
)

_REQUIRED_BY_METHOD: dict[str, tuple[str, ...]] = {
    AUTH_CLIENT_SECRET: (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET),
    AUTH_WORKLOAD_IDENTITY: (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE),
}

_CLIENT_CERTIFICATE_MSG = (
    "client_certificate auth is not supported in this implementation "
    "(Go SDK requires x509.Certificate and crypto.PrivateKey parsing)"
)


@dataclass(frozen=True)
class CloudEndpoints:
    """Where a cloud's Entra ID authority and Resource Manager live."""

    name: str
    authority_host: str
    resource_manager: str
    credential_scope: str


CLOUDS: dict[str, CloudEndpoints] = {
    "AzurePublicCloud": CloudEndpoints(
        "AzurePublicCloud",
        "login.microsoftonline.com",
        "https://management.azure.com/",
        "https://management.azure.com/.default",
    ),
    "AzureChinaCloud": CloudEndpoints(
        "AzureChinaCloud",
        "login.chinacloudapi.cn",
        "https://management.chinacloudapi.cn/",
        "https://management.chinacloudapi.cn/.default",
    ),
    "AzureUSGovernment": CloudEndpoints(
        "AzureUSGovernment",
        "login.microsoftonline.us",
        "https://management.usgovcloudapi.net/",
        "https://management.core.usgovcloudapi.net/.default",
    ),
}
DEFAULT_CLOUD = "AzurePublicCloud"


@dataclass(frozen=True)
class SettingSpec:
    """One documented setting: key, whether required, default, meaning."""

    key: str
    required: str
    default: str
    meaning: str


PROVIDER_SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(AZURE_SUBSCRIPTION_ID, "yes", "", "subscription GUID (lower-cased)"),
    SettingSpec(AZURE_LOCATION, "yes", "", "Azure region, e.g. japaneast (lower-cased)"),
    SettingSpec(AZURE_AUTH_METHOD, "yes", "", "one of " + ", ".join(AUTH_METHODS)),
    SettingSpec(AZURE_TENANT_ID, "client_secret, workload_identity", "", "Entra tenant"),
    SettingSpec(AZURE_CLIENT_ID, "client_secret, workload_identity", "", "app / managed identity client id"),
    SettingSpec(AZURE_CLIENT_SECRET, "client_secret", "", "never logged"),
    SettingSpec(AZURE_FEDERATED_TOKEN_FILE, "workload_identity", "", "projected service account token path"),
    SettingSpec(AZURE_RESOURCE_PREFIX, "no", "k4x-<provider hash>", "prefix of resource group names (max 32)"),
    SettingSpec(AZURE_CLOUD, "no", DEFAULT_CLOUD, "one of " + ", ".join(CLOUDS)),
)

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_LOCATION = re.compile(r"^[a-z][a-z0-9]*$")
_TENANT = re.compile(r"^[0-9a-zA-Z.-]+$")


@dataclass(frozen=True)
class AKSProviderSettings:
    """Validated provider settings; ``client_secret`` is excluded from ``repr``."""

    subscription_id: str
    location: str
    auth_method: str
    tenant_id: str = ""
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    federated_token_file: str = ""
    resource_prefix_override: str = ""
    cloud: CloudEndpoints = CLOUDS[DEFAULT_CLOUD]


def _get(settings: Mapping[str, str], key: str) -> str:
    value = settings.get(key)
    return value.strip() if isinstance(value, str) else ""


def parse_provider_settings(settings: Mapping[str, str] | None) -> AKSProviderSettings:
    """Validate ``provider.settings``; every problem is one line, raised before any network call."""
    values: Mapping[str, str] = settings or {}
    sub = _get(values, AZURE_SUBSCRIPTION_ID).lower()
    loc = _get(values, AZURE_LOCATION).lower()
    method = _get(values, AZURE_AUTH_METHOD)
    required = ((AZURE_SUBSCRIPTION_ID, sub), (AZURE_LOCATION, loc), (AZURE_AUTH_METHOD, method))
    missing = [k for k, v in required if not v]
    method_keys = _REQUIRED_BY_METHOD.get(method, ())
    missing += [k for k in method_keys if not _get(values, k)]
    if missing:
        raise DriverConfigError(f"missing required AKS settings: {', '.join(missing)}")
    if not _GUID.match(sub):
        raise DriverConfigError(f"{AZURE_SUBSCRIPTION_ID} must be a GUID, got {sub!r}")
    if not _LOCATION.match(loc):
        raise DriverConfigError(f"{AZURE_LOCATION} must be an Azure region name such as japaneast, got {loc!r}")
    if method == AUTH_CLIENT_CERTIFICATE:
        raise DriverConfigError(_CLIENT_CERTIFICATE_MSG)
    if method not in AUTH_METHODS:
        supported = ", ".join(m for m in AUTH_METHODS if m != AUTH_CLIENT_CERTIFICATE)
        raise DriverConfigError(f"unsupported AZURE_AUTH_METHOD: {method} (supported: {supported})")
    tenant = _get(values, AZURE_TENANT_ID)
    if tenant and not _TENANT.match(tenant):
        raise DriverConfigError(f"{AZURE_TENANT_ID} has invalid characters: {tenant!r}")
    cloud_name = _get(values, AZURE_CLOUD) or DEFAULT_CLOUD
    cloud = next((c for n, c in CLOUDS.items() if n.lower() == cloud_name.lower()), None)
    if cloud is None:
        raise DriverConfigError(f"unsupported AZURE_CLOUD: {cloud_name} (supported: {', '.join(CLOUDS)})")
    return AKSProviderSettings(
        subscription_id=sub,
        location=loc,
        auth_method=method,
        tenant_id=tenant,
        client_id=_get(values, AZURE_CLIENT_ID),
        client_secret=_get(values, AZURE_CLIENT_SECRET),
        federated_token_file=_get(values, AZURE_FEDERATED_TOKEN_FILE),
        resource_prefix_override=_get(values, AZURE_RESOURCE_PREFIX),
        cloud=cloud,
    )


_ID_SEPARATORS = re.compile(r"[,\s]+")


def split_id_list(value: str | None) -> list[str]:
    """Split a resource-id list on any run of commas and whitespace (§3.5)."""
    if not value:
        return []
    return [part for part in _ID_SEPARATORS.split(value) if part]


def override(settings: Mapping[str, str] | None, key: str) -> str:
    """A verbatim (untrimmed) override value, or ``""`` (upstream reads RG overrides untrimmed)."""
    value = (settings or {}).get(key)
    return value if isinstance(value, str) else ""
