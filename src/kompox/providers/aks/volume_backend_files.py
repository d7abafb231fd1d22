"""Azure Files backend (``type = "files"``, SMB shares, driver-aks.md §12, seed 002).

One storage account per app (``k4x<prv6><app6>``, created on first use) in
the app resource group; one share ``<vol>-<disk>`` per Kompox "disk".  Share
metadata records the volume, the Kompox name and the assignment, so any
cluster of the same provider sees the same shares.  Snapshots are not
supported.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from kompox.domain.errors import (
    DriverError,
    DriverValidationError,
    NotSupportedError,
)
from kompox.domain.model import App, AppVolume, Cluster, VolumeClass, VolumeDisk, VolumeSnapshot
from kompox.domain.naming import new_compact_id
from kompox.domain.options import VolumeDiskCreateOptions
from kompox.providers.aks import azure_storage
from kompox.providers.aks.arm_template import OUT_AKS_KUBELET_PRINCIPAL_ID
from kompox.providers.aks.clients import AzureClients
from kompox.providers.aks.context import AKSContext
from kompox.providers.aks.naming import (
    META_SHARE_ASSIGNED,
    META_SHARE_CREATED,
    META_SHARE_NAME,
    META_VOLUME_NAME,
    bool_text,
    files_handle,
)
from kompox.providers.aks.span import Deadline, log, rewrap
from kompox.providers.aks.volume_common import (
    GIB,
    LIST_TIMEOUT,
    WRITE_TIMEOUT,
    BoundBackend,
    as_utc,
    assignment_writes,
    check_names,
    ensure_app_group,
    mapped_newest_first,
    principal_id,
    text,
)

DEFAULT_PROTOCOL = "smb"


def share_created_at(metadata: dict[str, str], last_modified: Any) -> datetime | None:
    """The recorded creation time, else ``lastModifiedTime`` (shares never assigned since creation)."""
    stamp = metadata.get(META_SHARE_CREATED, "")
    if stamp:
        try:
            return as_utc(datetime.fromisoformat(stamp))
        except ValueError:
            log.debug("ignoring malformed %s=%r", META_SHARE_CREATED, stamp)
    return as_utc(last_modified)


def to_share_disk(
    item: Any, vol_name: str, resource_group: str, account: str, subscription_id: str
) -> VolumeDisk | None:
    """Map a share (§12.2); ``None`` when it is not a Kompox share of ``vol_name``."""
    metadata = dict(getattr(item, "metadata", None) or {})
    name = metadata.get(META_SHARE_NAME)
    if not name or not metadata.get(META_VOLUME_NAME) or metadata.get(META_VOLUME_NAME) != vol_name:
        return None
    quota = getattr(item, "share_quota", None)
    options: dict[str, Any] = {"protocol": DEFAULT_PROTOCOL}
    if quota is not None:
        options["quotaGiB"] = quota
    created = share_created_at(metadata, getattr(item, "last_modified_time", None))
    return VolumeDisk(
        name=name,
        volume_name=vol_name,
        assigned=metadata.get(META_SHARE_ASSIGNED, "").lower() == "true",
        size=int(quota or 0) * GIB,
        zone="",
        options=options,
        handle=files_handle(resource_group, account, text(getattr(item, "name", None)), subscription_id),
        created_at=created,
        updated_at=created,
    )


def files_sku(options: dict[str, Any]) -> str:
    """The requested SKU: the seed's ``skuName`` or upstream's ``sku`` (equal when both; ``""`` = default).

    Also refuses what Azure Files cannot honour here (ADR seed 002, docs/data-safety.md):
    a ``protocol`` other than ``smb`` and ``availability`` (shares are regional; redundancy
    is chosen with the SKU, e.g. ``Standard_ZRS``).
    """
    protocol = options.get("protocol")
    if protocol is not None and protocol != DEFAULT_PROTOCOL:
        raise DriverValidationError(
            f'only protocol=smb is supported for Type=files, got "{protocol}"', field="options.protocol"
        )
    if options.get("availability") is not None:
        raise DriverValidationError(
            f"options.availability={options['availability']!r} is not supported for Type=files on AKS "
            "(Azure file shares are regional; choose redundancy with options.skuName, e.g. Standard_ZRS)",
            field="options.availability",
        )
    named = {key: options.get(key) for key in ("skuName", "sku") if options.get(key) is not None}
    for key, value in named.items():
        if not isinstance(value, str) or not value:
            raise DriverValidationError(
                f"options.{key} must be a non-empty string, got {value!r}", field=f"options.{key}"
            )
    if len(set(named.values())) > 1:
        raise DriverValidationError(
            f'options.skuName "{named["skuName"]}" and options.sku "{named["sku"]}" disagree (give one of them)',
            field="options.skuName",
        )
    return str(next(iter(named.values()), ""))


def share_settings(vol: AppVolume, overrides: dict[str, Any] | None) -> tuple[str, int]:
    """Validated ``(sku, quota GiB)``; see :func:`files_sku` for the option rules.

    The quota is the volume size rounded UP to whole GiB (never down: a 1.5 GiB volume
    gets a 2 GiB share), reported on the progress channel/log when it rounds.
    """
    options = {**(vol.options or {}), **(overrides or {})}
    wanted = files_sku(options) or azure_storage.DEFAULT_SKU
    chosen = azure_storage.account_sku(wanted)
    if chosen != wanted:
        log.warning("files sku %r is not one of %s; using %s", wanted, ", ".join(azure_storage.ACCOUNT_SKUS), chosen)
    quota = math.ceil(vol.size / GIB) if vol.size > 0 else 0
    if vol.size > 0 and vol.size % GIB:
        log.warning(
            'volume "%s": size %d bytes is not a whole GiB; the share quota is rounded up to %d GiB',
            vol.name,
            vol.size,
            quota,
        )
    override = options.get("quotaGiB")
    if override is not None:
        if isinstance(override, bool) or not isinstance(override, int | float):
            raise DriverValidationError(f"quotaGiB must be a number, got {override!r}", field="options.quotaGiB")
        quota = int(override)
    if quota < 1:
        raise DriverValidationError(
            f'share quota of volume "{vol.name}" must be at least 1 GiB (set the volume size or options.quotaGiB)',
            field="options.quotaGiB",
        )
    return chosen, quota


class FilesBackend(BoundBackend):
    def _shares(
        self, ctx: AKSContext, clients: AzureClients, app: App, vol_name: str, raw: list[Any] | None = None
    ) -> list[tuple[VolumeDisk, Any]]:
        """The volume's shares with their metadata, newest first.

        The list answer carries no metadata (see :func:`azure_storage.list_shares`),
        so every share named ``<vol>-…`` is read with a GET; others cannot be this
        volume's (share names are ``<vol>-<disk>``).
        """
        rg, account = ctx.names.app_resource_group(app), ctx.names.storage_account_name(app)
        listed = azure_storage.list_shares(clients, rg, account) if raw is None else raw
        prefix = f"{vol_name}-"
        items = [
            item
            for name in sorted(text(getattr(i, "name", None)) for i in listed)
            if name.startswith(prefix) and (item := azure_storage.find_share(clients, rg, account, name)) is not None
        ]
        return mapped_newest_first(items, lambda item: to_share_disk(item, vol_name, rg, account, ctx.subscription_id))

    def disk_list(self, cluster: Cluster, app: App, vol_name: str) -> list[VolumeDisk]:
        ctx = self._bound("VolumeDiskList")
        check_names(vol_name)
        app.find_volume(vol_name)
        return [d for d, _ in self._shares(ctx, ctx.clients.bounded(LIST_TIMEOUT), app, vol_name)]

    def disk_create(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, source: str, opts: VolumeDiskCreateOptions
    ) -> VolumeDisk:
        ctx = self._bound("VolumeDiskCreate")
        if source.strip():
            raise NotSupportedError("source restoration is not supported for Type=files")
        disk_name = disk_name.strip()
        check_names(vol_name, "disk", disk_name, optional=True)
        vol = app.find_volume(vol_name)
        sku, quota = share_settings(vol, opts.options)
        name = disk_name or new_compact_id()
        share = ctx.names.share_name(vol_name, name)
        clients = ctx.clients.bounded(WRITE_TIMEOUT)
        rg, account = ctx.names.app_resource_group(app), ctx.names.storage_account_name(app)

        raw = azure_storage.list_shares(clients, rg, account)
        existing = [d for d, _ in self._shares(ctx, clients, app, vol_name, raw)]
        if any(d.name == name for d in existing):
            raise DriverValidationError(f'share "{name}" already exists in volume "{vol_name}"')
        if any(text(getattr(i, "name", None)) == share for i in raw):
            raise DriverValidationError(
                f'share "{name}": Azure file share {share} already exists and belongs to another volume '
                "or to no Kompox volume (choose another name)"
            )

        principal = principal_id(ctx, clients, cluster, OUT_AKS_KUBELET_PRINCIPAL_ID)
        try:
            ensure_app_group(ctx, clients, app, principal)
            azure_storage.ensure_account(
                clients,
                rg,
                account,
                sku=sku,
                location=ctx.location,
                tags=ctx.names.app_tags(app),
                deadline=Deadline(WRITE_TIMEOUT, "storage account create"),
                progress=ctx.progress,
            )
        except DriverError as err:
            raise rewrap("ensure storage account", err) from err
        metadata = {META_VOLUME_NAME: vol_name, META_SHARE_NAME: name, META_SHARE_ASSIGNED: bool_text(not existing)}
        azure_storage.create_share(clients, rg, account, share, quota, metadata)
        created = to_share_disk(
            azure_storage.get_share(clients, rg, account, share), vol_name, rg, account, ctx.subscription_id
        )
        if created is None:
            raise DriverError(f"create VolumeDisk from share: share {share} came back without Kompox metadata")
        return created

    def disk_assign(self, cluster: Cluster, app: App, vol_name: str, disk_name: str) -> None:
        """Target first, then the others; only shares whose flag changes are written (re-run repairs)."""
        ctx = self._bound("VolumeDiskAssign")
        check_names(vol_name, "disk", disk_name)
        app.find_volume(vol_name)
        clients = ctx.clients.bounded(WRITE_TIMEOUT)
        rg, account = ctx.names.app_resource_group(app), ctx.names.storage_account_name(app)
        pairs = self._shares(ctx, clients, app, vol_name)
        for item, wanted in assignment_writes(pairs, "share", disk_name, vol_name):
            share = text(getattr(item, "name", None))
            fresh = azure_storage.get_share(clients, rg, account, share)
            metadata = dict(getattr(fresh, "metadata", None) or {})
            if not metadata.get(META_SHARE_CREATED):
                # Azure Files has no creation time and this update bumps lastModifiedTime: keep the original.
                created = as_utc(getattr(fresh, "last_modified_time", None))
                if created is not None:
                    metadata[META_SHARE_CREATED] = created.astimezone(UTC).isoformat()
            metadata[META_SHARE_ASSIGNED] = bool_text(wanted)
            azure_storage.update_share_metadata(clients, rg, account, share, metadata)

    def disk_delete(self, cluster: Cluster, app: App, vol_name: str, disk_name: str) -> None:
        ctx = self._bound("VolumeDiskDelete")
        check_names(vol_name, "disk", disk_name)
        app.find_volume(vol_name)
        share = ctx.names.share_name(vol_name, disk_name)
        clients = ctx.clients.bounded(WRITE_TIMEOUT)
        rg, account = ctx.names.app_resource_group(app), ctx.names.storage_account_name(app)
        azure_storage.delete_share(clients, rg, account, share)

    def snapshot_list(self, cluster: Cluster, app: App, vol_name: str) -> list[VolumeSnapshot]:
        raise NotSupportedError()

    def snapshot_create(self, cluster: Cluster, app: App, vol_name: str, snap_name: str, source: str) -> VolumeSnapshot:
        raise NotSupportedError()

    def snapshot_delete(self, cluster: Cluster, app: App, vol_name: str, snap_name: str) -> None:
        raise NotSupportedError()

    def volume_class(self, cluster: Cluster, app: App, vol: AppVolume) -> VolumeClass:
        """Azure Files CSI opinion (§12.8): ``fs_type`` empty; the only attribute is ``protocol=smb``.

        The options are checked here too (:func:`files_sku`), so ``app validate`` refuses a
        non-``smb`` protocol, ``availability`` or a conflicting ``skuName``/``sku`` pair; none of
        them ever becomes a PV attribute (the SKU belongs to the storage account).
        """
        files_sku(dict(vol.options or {}))
        return VolumeClass(
            storage_class_name="azurefile-csi",
            csi_driver="file.csi.azure.com",
            fs_type="",
            attributes={"protocol": DEFAULT_PROTOCOL},
            access_modes=["ReadWriteMany"],
            reclaim_policy="Retain",
            volume_mode="Filesystem",
        )
