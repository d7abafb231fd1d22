"""Disk and snapshot records of the ``localpath`` backend: ConfigMaps in a Kompox-owned namespace.

Decision (docs/k3s-volumes.md): one ConfigMap per disk and per snapshot in
the namespace ``LOCALPATH_NAMESPACE`` (default ``kompox-volumes``), never in
the app's namespace, so records survive ``app destroy --delete-namespace``
and every machine holding the kubeconfig sees the same disks.  The object
name is derived from the app id hash, the volume and the Kompox name
(``disk-<idHASH>-<vol>-<name>``), so two runs creating the same disk race on
one ``POST`` and exactly one wins (409 for the other).

Labels select the records of an app volume; ``data`` holds the fields.  A
record is written in state ``creating`` before its helper pod runs and
switched to ``ready`` afterwards; a failed creation removes it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kompox.domain.errors import KompoxError, ProviderAPIError, VolumeConflictError
from kompox.domain.model import VolumeDisk, VolumeSnapshot
from kompox.domain.timefmt import rfc3339_nano
from kompox.providers.k3s.localpath_nodes import HOSTNAME_LABEL

if TYPE_CHECKING:
    from kompox.kube.client import KubeClient

KIND_DISK = "disk"
KIND_SNAPSHOT = "snapshot"
LABEL_KIND = "kompox.dev/localpath"
LABEL_APP_ID = "kompox.dev/app-id-hash"
LABEL_VOLUME = "kompox.dev/volume"
LABEL_MANAGED_BY = "app.kubernetes.io/managed-by"
STATE_CREATING = "creating"
STATE_READY = "ready"
HANDLE_SCHEME = "localpath://"
BACKEND = "localpath"


@dataclass(frozen=True)
class Record:
    """One localpath disk or snapshot as its ConfigMap record stores it."""

    kind: str
    app_id: str
    volume: str
    name: str
    node: str
    hostname: str
    base: str  # the node's base path when the item was created
    rel: str  # path below ``base``
    created_at: datetime
    size: int = 0
    state: str = STATE_CREATING
    assigned: bool = False
    source: str = ""  # handle of the disk/snapshot this one was made from
    sha256: str = ""  # snapshots: SHA-256 of the archive

    @property
    def path(self) -> str:
        return f"{self.base}/{self.rel}"

    @property
    def handle(self) -> str:
        return f"{HANDLE_SCHEME}{self.node}{self.path}"

    @property
    def object_name(self) -> str:
        return record_name(self.kind, self.app_id, self.volume, self.name)

    def disk(self) -> VolumeDisk:
        options: dict[str, Any] = {
            "backend": BACKEND,
            "node": self.node,
            "path": self.path,
            "nodeAffinity": {HOSTNAME_LABEL: self.hostname},
        }
        if self.state != STATE_READY:
            options["state"] = self.state
        return VolumeDisk(
            name=self.name,
            volume_name=self.volume,
            assigned=self.assigned,
            size=self.size,
            zone=self.node,
            options=options,
            handle=self.handle,
            created_at=self.created_at,
            updated_at=self.created_at,
            source=self.source,
            creating=self.state == STATE_CREATING,
            node=self.node,  # where it lives; whether a pod mounts it is not checked (attached stays None)
        )

    def snapshot(self) -> VolumeSnapshot:
        return VolumeSnapshot(
            name=self.name,
            volume_name=self.volume,
            size=self.size,
            handle=self.handle,
            created_at=self.created_at,
            updated_at=self.created_at,
        )


def record_name(kind: str, app_id: str, volume: str, name: str) -> str:
    return f"{kind}-{app_id}-{volume}-{name}"


def to_config_map(record: Record, namespace: str) -> dict[str, Any]:
    data = {
        "name": record.name,
        "volume": record.volume,
        "node": record.node,
        "hostname": record.hostname,
        "base": record.base,
        "rel": record.rel,
        "createdAt": rfc3339_nano(record.created_at),
        "size": str(record.size),
        "state": record.state,
        "assigned": "true" if record.assigned else "false",
        "source": record.source,
        "sha256": record.sha256,
        "handle": record.handle,
    }
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": record.object_name,
            "namespace": namespace,
            "labels": {
                LABEL_MANAGED_BY: "kompox",
                LABEL_KIND: record.kind,
                LABEL_APP_ID: record.app_id,
                LABEL_VOLUME: record.volume,
            },
        },
        "data": data,
    }


def from_config_map(obj: dict[str, Any]) -> Record | None:
    """The record of a ConfigMap, ``None`` when it is not a well-formed record."""
    meta = obj.get("metadata") or {}
    labels = meta.get("labels") or {}
    data = obj.get("data") or {}
    kind = labels.get(LABEL_KIND)
    if kind not in (KIND_DISK, KIND_SNAPSHOT) or not data.get("name") or not data.get("node"):
        return None
    try:
        created = datetime.fromisoformat(str(data.get("createdAt", "")).replace("Z", "+00:00"))
        size = int(data.get("size") or 0)
    except ValueError:
        return None
    return Record(
        kind=str(kind),
        app_id=str(labels.get(LABEL_APP_ID, "")),
        volume=str(data.get("volume") or labels.get(LABEL_VOLUME, "")),
        name=str(data["name"]),
        node=str(data["node"]),
        hostname=str(data.get("hostname") or data["node"]),
        base=str(data.get("base", "")),
        rel=str(data.get("rel", "")),
        created_at=created if created.tzinfo else created.replace(tzinfo=UTC),
        size=size,
        state=str(data.get("state") or STATE_CREATING),
        assigned=str(data.get("assigned", "")).lower() == "true",
        source=str(data.get("source", "")),
        sha256=str(data.get("sha256", "")),
    )


def newest_first(records: list[Record]) -> list[Record]:
    """``created_at`` descending, ties by name ascending (seed 000 ordering)."""
    return sorted(records, key=lambda r: (-r.created_at.timestamp(), r.name))


class RecordStore:
    """Record CRUD in the records namespace through ``kube``."""

    def __init__(self, kube: KubeClient, namespace: str) -> None:
        self._kube = kube
        self.namespace = namespace

    def list(self, kind: str, app_id: str = "", volume: str = "") -> list[Record]:
        from kompox.kube import resources as res

        selector = f"{LABEL_KIND}={kind}"
        if app_id:
            selector += f",{LABEL_APP_ID}={app_id}"
        if volume:
            selector += f",{LABEL_VOLUME}={volume}"
        items = self._kube.list_objects(res.CONFIG_MAP, self.namespace, selector)
        return newest_first([r for r in (from_config_map(i) for i in items) if r is not None])

    def create(self, record: Record, what: str) -> None:
        """Create the record; another run holding the same name is a :class:`VolumeConflictError`."""
        from kompox.kube import resources as res

        self._kube.ensure_namespace(self.namespace, {LABEL_MANAGED_BY: "kompox"})
        try:
            self._kube.create(res.CONFIG_MAP, to_config_map(record, self.namespace), self.namespace)
        except ProviderAPIError as err:
            if err.status_code == 409:
                raise VolumeConflictError(
                    f"{what} already exists or is being created by another run (record "
                    f"{self.namespace}/{record.object_name})"
                ) from err
            raise

    def update(self, record: Record) -> Record:
        from kompox.kube import resources as res

        body = to_config_map(record, self.namespace)
        self._kube.patch(res.CONFIG_MAP, record.object_name, {"data": body["data"]}, self.namespace)
        return record

    def delete(self, record: Record) -> None:
        from kompox.kube import resources as res

        self._kube.delete(res.CONFIG_MAP, record.object_name, self.namespace)

    def delete_quietly(self, record: Record) -> KompoxError | None:
        try:
            self.delete(record)
        except KompoxError as err:
            return err
        return None


def with_state(record: Record, **changes: Any) -> Record:
    return replace(record, **changes)
