"""Factory and settings: one-line errors before any network call (driver-aks.md §3)."""

from __future__ import annotations

from typing import Any

import pytest

from kompox.domain.errors import DriverConfigError
from kompox.domain.model import Provider, Workspace
from kompox.providers.aks import clients as clients_mod
from kompox.providers.aks import new_aks_driver
from kompox.providers.aks.clients import USER_AGENT, AzureClients, build_credential
from kompox.providers.aks.settings import CLOUDS, parse_provider_settings

from .conftest import SETTINGS, SUB


def _provider(**settings: str) -> Provider:
    return Provider(name="aks1", driver="aks", settings=settings)


def test_missing_required_keys_are_reported_together() -> None:
    with pytest.raises(DriverConfigError) as exc:
        parse_provider_settings({"AZURE_LOCATION": " japaneast "})
    assert str(exc.value) == "validation error: missing required AKS settings: AZURE_SUBSCRIPTION_ID, AZURE_AUTH_METHOD"


def test_missing_map_behaves_like_empty() -> None:
    with pytest.raises(DriverConfigError, match=r"AZURE_SUBSCRIPTION_ID, AZURE_LOCATION, AZURE_AUTH_METHOD$"):
        new_aks_driver(None, Provider(name="p", driver="aks", settings=None))


def test_method_keys_are_added_to_the_missing_list() -> None:
    with pytest.raises(DriverConfigError) as exc:
        parse_provider_settings({**SETTINGS, "AZURE_AUTH_METHOD": "client_secret", "AZURE_CLIENT_ID": "c"})
    assert str(exc.value).endswith("missing required AKS settings: AZURE_TENANT_ID, AZURE_CLIENT_SECRET")


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("AZURE_SUBSCRIPTION_ID", "not-a-guid", "AZURE_SUBSCRIPTION_ID must be a GUID"),
        ("AZURE_LOCATION", "Japan East", "AZURE_LOCATION must be an Azure region name"),
        ("AZURE_AUTH_METHOD", "password", "unsupported AZURE_AUTH_METHOD: password (supported: client_secret,"),
        ("AZURE_AUTH_METHOD", "client_certificate", "client_certificate auth is not supported in this implementation"),
        ("AZURE_CLOUD", "Mars", "unsupported AZURE_CLOUD: Mars"),
        ("AZURE_TENANT_ID", "bad tenant!", "AZURE_TENANT_ID has invalid characters"),
    ],
)
def test_malformed_settings_fail_with_one_line(key: str, value: str, expected: str) -> None:
    with pytest.raises(DriverConfigError) as exc:
        parse_provider_settings({**SETTINGS, key: value})
    assert expected in str(exc.value)
    assert "\n" not in str(exc.value)


def test_values_are_trimmed_and_lower_cased() -> None:
    s = parse_provider_settings(
        {
            "AZURE_SUBSCRIPTION_ID": "  " + SUB.replace("0", "A").lower().upper() + " ",
            "AZURE_LOCATION": " JapanEast ",
            "AZURE_AUTH_METHOD": " azure_cli ",
        }
    )
    assert s.subscription_id == SUB.replace("0", "a")
    assert s.location == "japaneast"
    assert s.auth_method == "azure_cli"
    assert s.cloud is CLOUDS["AzurePublicCloud"]


def test_client_secret_is_not_in_repr() -> None:
    s = parse_provider_settings(
        {
            **SETTINGS,
            "AZURE_AUTH_METHOD": "client_secret",
            "AZURE_TENANT_ID": "t",
            "AZURE_CLIENT_ID": "c",
            "AZURE_CLIENT_SECRET": "s3cr3t-value",
        }
    )
    assert s.client_secret == "s3cr3t-value"
    assert "s3cr3t-value" not in repr(s)


def test_factory_builds_no_credential_and_does_no_io(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("credential built at construction")

    monkeypatch.setattr(clients_mod, "build_credential", boom)
    driver = new_aks_driver(Workspace(name="ws1"), _provider(**SETTINGS))
    assert (driver.id(), driver.workspace_name(), driver.provider_name()) == ("aks", "ws1", "aks1")
    assert driver.resource_group_base_name() == "k4x-b3wold"


def test_workspace_nil_and_prefix_override_truncated() -> None:
    driver = new_aks_driver(None, _provider(**SETTINGS))
    assert driver.workspace_name() == "(nil)"
    assert driver.resource_group_base_name() == "k4x-2mpt46"
    long = "p" * 40
    driver = new_aks_driver(None, _provider(**SETTINGS, AZURE_RESOURCE_PREFIX=f"  {long} "))
    assert driver.resource_group_base_name() == "p" * 32


class _Recorder:
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args: Any, **kwargs: Any) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return (self.name, args, kwargs)


@pytest.mark.parametrize(
    ("settings", "cls", "args", "kwargs"),
    [
        (
            {
                "AZURE_AUTH_METHOD": "client_secret",
                "AZURE_TENANT_ID": "t1",
                "AZURE_CLIENT_ID": "c1",
                "AZURE_CLIENT_SECRET": "s1",
                "AZURE_CLOUD": "AzureChinaCloud",
            },
            "ClientSecretCredential",
            ("t1", "c1", "s1"),
            {"authority": "login.chinacloudapi.cn"},
        ),
        ({"AZURE_AUTH_METHOD": "managed_identity"}, "ManagedIdentityCredential", (), {}),
        (
            {"AZURE_AUTH_METHOD": "managed_identity", "AZURE_CLIENT_ID": "c2"},
            "ManagedIdentityCredential",
            (),
            {"client_id": "c2"},
        ),
        (
            {
                "AZURE_AUTH_METHOD": "workload_identity",
                "AZURE_TENANT_ID": "t3",
                "AZURE_CLIENT_ID": "c3",
                "AZURE_FEDERATED_TOKEN_FILE": "/var/run/token",
            },
            "WorkloadIdentityCredential",
            (),
            {
                "tenant_id": "t3",
                "client_id": "c3",
                "token_file_path": "/var/run/token",
                "authority": "login.microsoftonline.com",
            },
        ),
        ({"AZURE_AUTH_METHOD": "azure_cli"}, "AzureCliCredential", (), {}),
        ({"AZURE_AUTH_METHOD": "azure_developer_cli"}, "AzureDeveloperCliCredential", (), {}),
    ],
)
def test_auth_method_maps_to_credential(
    monkeypatch: pytest.MonkeyPatch, settings: dict[str, str], cls: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    from azure import identity

    for name in (
        "ClientSecretCredential",
        "ManagedIdentityCredential",
        "WorkloadIdentityCredential",
        "AzureCliCredential",
        "AzureDeveloperCliCredential",
        "DefaultAzureCredential",
    ):
        monkeypatch.setattr(identity, name, _Recorder(name))
    parsed = parse_provider_settings({**SETTINGS, **settings})
    assert build_credential(parsed) == (cls, args, kwargs)


def test_credential_constructor_failure_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from azure import identity

    def bad(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("Invalid tenant ID provided")

    monkeypatch.setattr(identity, "AzureCliCredential", bad)
    with pytest.raises(DriverConfigError, match="create Azure credential: Invalid tenant ID provided"):
        build_credential(parse_provider_settings(SETTINGS))


def test_clients_use_cloud_endpoint_scope_and_user_agent() -> None:
    settings = parse_provider_settings({**SETTINGS, "AZURE_CLOUD": "AzureUSGovernment"})
    clients = AzureClients(settings, credential=object())
    client = clients.deployments()
    assert client._config.credential_scopes == ["https://management.core.usgovcloudapi.net/.default"]
    assert client._config.base_url == "https://management.usgovcloudapi.net/"
    assert client._config.user_agent_policy.user_agent.startswith(USER_AGENT)
