"""Azure credentials and management clients, built lazily (driver-aks.md §2, §3.4).

Nothing here imports an Azure SDK at module import time: the SDK modules are
imported inside the functions that need them.  Every client carries the user
agent ``kompoxops/aks``, the configured cloud's Resource Manager endpoint and
credential scope, and any extra keyword arguments (tests pass a fake
transport, fast retry settings and a zero polling interval).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kompox.domain.errors import DriverConfigError
from kompox.providers.aks.settings import (
    AUTH_AZURE_CLI,
    AUTH_AZURE_DEVELOPER_CLI,
    AUTH_CLIENT_SECRET,
    AUTH_MANAGED_IDENTITY,
    AUTH_WORKLOAD_IDENTITY,
    AKSProviderSettings,
)

USER_AGENT = "kompoxops/aks"


def build_credential(settings: AKSProviderSettings) -> Any:
    """The azure-identity credential for ``AZURE_AUTH_METHOD``; never ``DefaultAzureCredential``.

    Constructors do no network I/O; tokens are fetched on first use.
    """
    from azure import identity

    authority = settings.cloud.authority_host
    try:
        if settings.auth_method == AUTH_CLIENT_SECRET:
            return identity.ClientSecretCredential(
                settings.tenant_id, settings.client_id, settings.client_secret, authority=authority
            )
        if settings.auth_method == AUTH_MANAGED_IDENTITY:
            if settings.client_id:
                return identity.ManagedIdentityCredential(client_id=settings.client_id)
            return identity.ManagedIdentityCredential()
        if settings.auth_method == AUTH_WORKLOAD_IDENTITY:
            return identity.WorkloadIdentityCredential(
                tenant_id=settings.tenant_id,
                client_id=settings.client_id,
                token_file_path=settings.federated_token_file,
                authority=authority,
            )
        if settings.auth_method == AUTH_AZURE_CLI:
            return identity.AzureCliCredential()
        if settings.auth_method == AUTH_AZURE_DEVELOPER_CLI:
            return identity.AzureDeveloperCliCredential()
    except (ValueError, TypeError) as err:
        raise DriverConfigError(f"create Azure credential: {err}") from err
    raise DriverConfigError(f"unsupported AZURE_AUTH_METHOD: {settings.auth_method}")


class AzureClients:
    """Creates one SDK client per call (no caching of clients between operations)."""

    def __init__(
        self,
        settings: AKSProviderSettings,
        credential: Any | None = None,
        client_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self._settings = settings
        self._credential = credential
        self._kwargs = dict(client_kwargs or {})

    def bounded(self, seconds: float) -> AzureClients:
        """A copy whose clients give up retrying after ``seconds`` (the pipeline's retry ``timeout``)."""
        kwargs = dict(self._kwargs)
        kwargs["timeout"] = max(1, int(seconds))
        return AzureClients(self._settings, self._credential, kwargs)

    @property
    def subscription_id(self) -> str:
        return self._settings.subscription_id

    def credential(self) -> Any:
        """The credential, created on first use."""
        if self._credential is None:
            self._credential = build_credential(self._settings)
        return self._credential

    def _common(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "base_url": self._settings.cloud.resource_manager,
            "credential_scopes": [self._settings.cloud.credential_scope],
            "user_agent": USER_AGENT,
        }
        kwargs.update(self._kwargs)
        return kwargs

    def _build(self, factory: Callable[..., Any], subscription_id: str | None) -> Any:
        return factory(self.credential(), subscription_id or self.subscription_id, **self._common())

    def resources(self, subscription_id: str | None = None) -> Any:
        from azure.mgmt.resource.resources import ResourceManagementClient

        return self._build(ResourceManagementClient, subscription_id)

    def deployments(self, subscription_id: str | None = None) -> Any:
        from azure.mgmt.resource.deployments import DeploymentsMgmtClient

        return self._build(DeploymentsMgmtClient, subscription_id)

    def container_service(self, subscription_id: str | None = None) -> Any:
        from azure.mgmt.containerservice import ContainerServiceClient

        return self._build(ContainerServiceClient, subscription_id)

    def dns(self, subscription_id: str | None = None) -> Any:
        from azure.mgmt.dns import DnsManagementClient

        return self._build(DnsManagementClient, subscription_id)

    def authorization(self, subscription_id: str | None = None) -> Any:
        from azure.mgmt.authorization import AuthorizationManagementClient

        return self._build(AuthorizationManagementClient, subscription_id)

    def keyvault(self, subscription_id: str | None = None) -> Any:
        from azure.mgmt.keyvault import KeyVaultManagementClient

        return self._build(KeyVaultManagementClient, subscription_id)

    def compute(self, subscription_id: str | None = None) -> Any:
        """Managed disks and snapshots (volume disk backend)."""
        from azure.mgmt.compute import ComputeManagementClient

        return self._build(ComputeManagementClient, subscription_id)

    def storage(self, subscription_id: str | None = None) -> Any:
        """Storage accounts and file shares (volume files backend)."""
        from azure.mgmt.storage import StorageManagementClient

        return self._build(StorageManagementClient, subscription_id)
