"""Key Vault lookups through Azure Resource Graph and per-secret role grants (upstream ``azure_kv.go``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kompox.domain.errors import DriverError, DriverValidationError
from kompox.domain.model import ClusterIngressCertificate
from kompox.providers.aks.azure_roles import ROLE_KEY_VAULT_SECRETS_USER, ensure_role
from kompox.providers.aks.clients import AzureClients
from kompox.providers.aks.secret import KeyVaultSecretRef, parse_key_vault_secret_url
from kompox.providers.aks.span import describe_azure_error, log

RESOURCE_GRAPH_PATH = "/providers/Microsoft.ResourceGraph/resources"
RESOURCE_GRAPH_API_VERSION = "2021-03-01"


def vault_query(names: Sequence[str]) -> str:
    quoted = ", ".join(f"'{n}'" for n in names)
    return (
        "Resources\n"
        '| where type == "microsoft.keyvault/vaults"\n'
        f"| where name in ({quoted})\n"
        "| project name, id, subscriptionId, resourceGroup, location"
    )


def vault_ids(clients: AzureClients, names: Sequence[str]) -> dict[str, str]:
    """Vault name -> resource id across every subscription the credential can see.

    The Resource Graph SDK is not a dependency: the query is sent through the
    resource client's pipeline (same credential, retries and user agent).
    """
    from azure.core.exceptions import AzureError
    from azure.core.rest import HttpRequest

    wanted = sorted(set(names))
    if not wanted:
        return {}
    client = clients.resources()
    request = HttpRequest(
        "POST",
        f"{RESOURCE_GRAPH_PATH}?api-version={RESOURCE_GRAPH_API_VERSION}",
        json={"query": vault_query(wanted), "options": {"resultFormat": "objectArray"}},
    )
    try:
        response = client.send_request(request)
        response.raise_for_status()
        payload = json.loads(response.text())
    except (AzureError, ValueError) as err:
        raise DriverError(
            f"failed to get Key Vault resource IDs: failed to query resource graph: {describe_azure_error(err)}"
        ) from err
    return _rows_to_ids(payload.get("data") if isinstance(payload, dict) else None, set(wanted))


def _rows_to_ids(data: Any, wanted: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    rows: list[Any] = []
    if isinstance(data, list):
        rows = [(r.get("name"), r.get("id")) for r in data if isinstance(r, dict)]
    elif isinstance(data, dict) and isinstance(data.get("rows"), list):
        rows = [(r[0], r[1]) for r in data["rows"] if isinstance(r, list) and len(r) >= 2]
    for name, rid in rows:
        if isinstance(name, str) and isinstance(rid, str) and name in wanted:
            out[name] = rid
    return out


def assign_key_vault_roles(
    clients: AzureClients, principal_id: str, certificates: Sequence[ClusterIngressCertificate]
) -> int:
    """Grant Key Vault Secrets User on ``<vault id>/secrets/<object>`` per certificate; returns failures."""
    refs: list[KeyVaultSecretRef] = []
    for cert in certificates:
        if not cert.source:
            continue
        try:
            refs.append(parse_key_vault_secret_url(cert.source))
        except DriverValidationError as err:
            log.warning("skipping certificate %s: %s", cert.name, err)
    if not refs:
        return 0
    ids = vault_ids(clients, [r.vault for r in refs])
    failures = 0
    for ref in refs:
        vault_id = ids.get(ref.vault)
        if not vault_id:
            failures += 1
            log.info("AKS:EnsureKV/efail", extra={"vault": ref.vault, "err": "vault not found"})
            continue
        scope = f"{vault_id}/secrets/{ref.object_name}"
        try:
            ensure_role(clients, scope, principal_id, ROLE_KEY_VAULT_SECRETS_USER)
            log.info("AKS:RoleKV/eok", extra={"principalId": principal_id, "scope": scope})
        except DriverError as err:
            failures += 1
            log.info("AKS:RoleKV/efail", extra={"principalId": principal_id, "scope": scope, "err": str(err)})
    return failures
