"""AKS resource names and tags, byte-compatible with upstream (driver-aks.md §5–6)."""

from __future__ import annotations

import re

from kompox.domain.errors import DriverValidationError
from kompox.domain.model import App, Cluster
from kompox.domain.naming import new_hashes
from kompox.providers.aks.settings import AZURE_RESOURCE_GROUP_NAME, override

MAX_RESOURCE_NAME = 72
MAX_RESOURCE_PREFIX = 32
MAX_DEPLOYMENT_NAME = 64  # ARM limit on deployment names
MAX_VOLUME_NAME = 16
MAX_DISK_NAME = 24
MAX_SNAPSHOT_NAME = 24

TAG_WORKSPACE_NAME = "kompox-workspace-name"
TAG_PROVIDER_NAME = "kompox-provider-name"
TAG_CLUSTER_NAME = "kompox-cluster-name"
TAG_CLUSTER_HASH = "kompox-cluster-hash"
TAG_APP_NAME = "kompox-app-name"
TAG_APP_ID_HASH = "kompox-app-id-hash"
TAG_VOLUME_NAME = "kompox-volume"
TAG_DISK_NAME = "kompox-disk-name"
TAG_DISK_ASSIGNED = "kompox-disk-assigned"
TAG_SNAPSHOT_NAME = "kompox-snapshot-name"
TAG_MANAGED_BY = "managed-by"
MANAGED_BY = "kompox"

# Azure Files share metadata (identifier-like keys, §6.3)
MAX_SHARE_NAME = 41
META_VOLUME_NAME = "kompox_volume_name"
META_SHARE_NAME = "kompox_files_share_name"
META_SHARE_ASSIGNED = "kompox_files_share_assigned"
META_SHARE_CREATED = "kompox_files_share_created"
"""Python extra: the share's first ``lastModifiedTime`` (Azure Files has no creation time; assign bumps it)."""

SPC_PREFIX = "traefik-kv-"
TLS_MOUNT_ROOT = "/config/tls/"


def safe_truncate(base: str, hash_: str) -> str:
    """``base + "_" + hash`` with ``base`` cut so the result fits 72 characters."""
    max_base = MAX_RESOURCE_NAME - (len(hash_) + 1)
    if max_base < 1:
        raise DriverValidationError(f"hash too long: {len(hash_)} chars exceeds limit")
    return f"{base[:max_base]}_{hash_}"


def default_resource_prefix(workspace_name: str, provider_name: str) -> str:
    return "k4x-" + new_hashes(workspace_name, provider_name, "", "").provider


def resource_prefix(workspace_name: str, provider_name: str, prefix_override: str) -> str:
    """The configured prefix (or ``k4x-<prv_hash>``), cut to 32 characters."""
    prefix = prefix_override or default_resource_prefix(workspace_name, provider_name)
    return prefix[:MAX_RESOURCE_PREFIX]


class AKSNames:
    """Name and tag builders for one driver instance (workspace, provider, prefix)."""

    def __init__(self, workspace_name: str, provider_name: str, prefix: str) -> None:
        self.workspace_name = workspace_name
        self.provider_name = provider_name
        self.prefix = prefix

    def _hashes(self, cluster: str = "", app: str = "") -> tuple[str, str, str]:
        h = new_hashes(self.workspace_name, self.provider_name, cluster, app)
        return h.provider, h.cluster, h.app_id

    # resource groups and deployment
    def cluster_resource_group(self, cluster: Cluster) -> str:
        custom = override(cluster.settings, AZURE_RESOURCE_GROUP_NAME)
        if custom:
            return custom
        _, cls_hash, _ = self._hashes(cluster=cluster.name)
        return safe_truncate(f"{self.prefix}_cls_{cluster.name}", cls_hash)

    def deployment_name(self, cluster: Cluster) -> str:
        """The subscription-scope ARM deployment name: identical to the cluster RG name."""
        return self.cluster_resource_group(cluster)

    def app_resource_group(self, app: App) -> str:
        custom = override(app.settings, AZURE_RESOURCE_GROUP_NAME)
        if custom:
            return custom
        _, _, app_hash = self._hashes(app=app.name)
        return safe_truncate(f"{self.prefix}_app_{app.name}", app_hash)

    # volume artefacts (used by the volume backends)
    def disk_name(self, app: App, volume: str, disk: str) -> str:
        _check_len("volume", volume, MAX_VOLUME_NAME)
        _check_len("disk", disk, MAX_DISK_NAME)
        _, _, app_hash = self._hashes(app=app.name)
        return safe_truncate(f"{self.prefix}_disk_{volume}_{disk}", app_hash)

    def snapshot_name(self, app: App, volume: str, snapshot: str) -> str:
        _check_len("volume", volume, MAX_VOLUME_NAME)
        _check_len("snapshot", snapshot, MAX_SNAPSHOT_NAME)
        _, _, app_hash = self._hashes(app=app.name)
        return safe_truncate(f"{self.prefix}_snap_{volume}_{snapshot}", app_hash)

    def storage_account_name(self, app: App) -> str:
        """``k4x`` + 6 of prv_hash + 6 of app_hash; ignores ``AZURE_RESOURCE_PREFIX``."""
        prv, _, app_hash = self._hashes(app=app.name)
        return f"k4x{prv[:6]}{app_hash[:6]}"

    def share_name(self, volume: str, disk: str) -> str:
        """``<vol>-<disk>``; at most 41 characters, no consecutive hyphens (Azure rejects them)."""
        share = f"{volume}-{disk}"
        if len(share) > MAX_SHARE_NAME:
            raise DriverValidationError(f'share name "{share}" exceeds max length {MAX_SHARE_NAME}')
        if "--" in share:
            raise DriverValidationError(f'share name "{share}" must not contain "--" (Azure Files naming rule)')
        return share

    # tags
    def disk_tags(self, app: App, volume: str, disk: str, assigned: bool) -> dict[str, str]:
        tags = self.app_tags(app)
        tags.update({TAG_VOLUME_NAME: volume, TAG_DISK_NAME: disk, TAG_DISK_ASSIGNED: bool_text(assigned)})
        return tags

    def snapshot_tags(self, app: App, volume: str, snapshot: str) -> dict[str, str]:
        tags = self.app_tags(app)
        tags.update({TAG_VOLUME_NAME: volume, TAG_SNAPSHOT_NAME: snapshot})
        return tags

    def cluster_tags(self, cluster: Cluster) -> dict[str, str]:
        _, cls_hash, _ = self._hashes(cluster=cluster.name)
        return {
            TAG_WORKSPACE_NAME: self.workspace_name,
            TAG_PROVIDER_NAME: self.provider_name,
            TAG_CLUSTER_NAME: cluster.name,
            TAG_CLUSTER_HASH: cls_hash,
            TAG_MANAGED_BY: MANAGED_BY,
        }

    def app_tags(self, app: App) -> dict[str, str]:
        _, _, app_hash = self._hashes(app=app.name)
        return {
            TAG_WORKSPACE_NAME: self.workspace_name,
            TAG_PROVIDER_NAME: self.provider_name,
            TAG_APP_NAME: app.name,
            TAG_APP_ID_HASH: app_hash,
            TAG_MANAGED_BY: MANAGED_BY,
        }


def bool_text(value: bool) -> str:
    return "true" if value else "false"


def files_handle(resource_group: str, account: str, share: str, subscription_id: str) -> str:
    """The Azure Files CSI volume handle ``<rg>#<account>#<share>####<subscription>`` (six ``#``, §12.2)."""
    return f"{resource_group}#{account}#{share}####{subscription_id}"


def _check_len(kind: str, value: str, limit: int) -> None:
    if len(value.encode("utf-8")) > limit:
        raise DriverValidationError(f'{kind} name "{value}" exceeds max length {limit}')


_NON_SPC = re.compile(r"[^a-z0-9-]")


def spc_name_for_vault(vault: str) -> str:
    """``traefik-kv-`` + the vault name lower-cased with other characters replaced by ``-``."""
    return SPC_PREFIX + _NON_SPC.sub("-", vault.lower())


def tls_mount_dir(spc_name: str, vault: str) -> str:
    """``/config/tls/<spc name without traefik-kv->`` (lower-cased vault name as a fallback)."""
    suffix = spc_name[len(SPC_PREFIX) :] if spc_name.startswith(SPC_PREFIX) else vault.lower()
    return TLS_MOUNT_ROOT + suffix
