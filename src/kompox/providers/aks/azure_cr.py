"""Container registry ids from cluster settings (upstream ``azure_cr.go``, driver-aks.md §16)."""

from __future__ import annotations

from collections.abc import Mapping

from kompox.domain.errors import DriverValidationError
from kompox.providers.aks.resource_id import ResourceID, parse_typed_id, reason
from kompox.providers.aks.settings import AZURE_AKS_CONTAINER_REGISTRY_RESOURCE_IDS, split_id_list

REGISTRY_TYPE = "Microsoft.ContainerRegistry/registries"


def collect_registry_ids(settings: Mapping[str, str] | None) -> list[ResourceID]:
    ids = split_id_list((settings or {}).get(AZURE_AKS_CONTAINER_REGISTRY_RESOURCE_IDS))
    out: list[ResourceID] = []
    for raw in ids:
        try:
            out.append(parse_typed_id(raw, REGISTRY_TYPE, "Container Registry"))
        except DriverValidationError as err:
            raise DriverValidationError(f"parse Container Registry resource ID: {reason(err)}") from err
    return out
