"""Role definition ids and the idempotent role assignment (upstream ``azure_roles.go``, driver-aks.md §7)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from kompox.providers.aks.clients import AzureClients
from kompox.providers.aks.span import api_error

ROLE_CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
ROLE_DNS_ZONE_CONTRIBUTOR = "befefa01-2a29-4197-83a8-272ff33ce314"
ROLE_ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
ROLE_KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"


def role_definition_id(subscription_id: str, role_uuid: str) -> str:
    """Always under the driver's subscription, even for scopes elsewhere (upstream parity)."""
    return f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{role_uuid}"


def ensure_role(
    clients: AzureClients,
    scope: str,
    principal_id: str,
    role_uuid: str,
    new_name: Callable[[], str] = lambda: str(uuid.uuid4()),
) -> None:
    """Create the assignment; 409 / ``RoleAssignmentExists`` means it already exists."""
    from azure.core.exceptions import HttpResponseError
    from azure.mgmt.authorization.v2022_04_01.models import RoleAssignmentCreateParameters

    params = RoleAssignmentCreateParameters(
        role_definition_id=role_definition_id(clients.subscription_id, role_uuid),
        principal_id=principal_id,
        principal_type="ServicePrincipal",
    )
    try:
        clients.authorization().role_assignments.create(scope, new_name(), params)
    except HttpResponseError as err:
        code = getattr(getattr(err, "error", None), "code", None)
        if err.status_code == 409 or code == "RoleAssignmentExists":
            return
        raise api_error("failed to create role assignment", err) from err
