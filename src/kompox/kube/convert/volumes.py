"""Volumes: compose mounts, the sub-path init container, PV/PVC binding, quantities (converter.md §8)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kompox.compose.model import ServiceVolume
from kompox.domain.model import AppVolume, VolumeClass, VolumeDisk
from kompox.domain.model.volume import ACCESS_MODES, DISK_OPTION_NODE_AFFINITY, DISK_OPTION_PATH
from kompox.kube.convert.errors import ConversionError
from kompox.kube.convert.files import FileKind, FileSource
from kompox.kube.convert.names import AppNames, object_meta

INIT_CONTAINER = "init-volume-subpaths"
INIT_IMAGE = "busybox:1.36"
_MIB = 1048576
_SUFFIXES = ("Mi", "Gi", "Ti", "Pi", "Ei")


@dataclass(frozen=True)
class VolumeBinding:
    """One App volume bound to a provider disk, with the provider's VolumeClass.

    ``disk`` is None for a volume without an assigned disk; ``volume_class``
    None when the provider could not give one.  ``resource_name`` overrides
    the PV/PVC name (never used by the CLI).
    """

    name: str
    disk: VolumeDisk | None = None
    volume_class: VolumeClass | None = None
    resource_name: str = ""

    @property
    def bindable(self) -> bool:
        """Disk with a handle and a VolumeClass naming a CSI driver (or a ``local`` one)."""
        return (
            self.disk is not None
            and bool(self.disk.handle.strip())
            and self.volume_class is not None
            and self.volume_class.bindable
        )


def quantity(size: int) -> str:
    """Capacity rounded up to MiB in canonical binary units (§8.5): 1536Mi, 32Gi, ``0`` for ≤ 0."""
    if size <= 0:
        return "0"
    number = -(-size // _MIB)
    index = 0
    while number % 1024 == 0 and index + 1 < len(_SUFFIXES):
        number //= 1024
        index += 1
    return f"{number}{_SUFFIXES[index]}"


# --- compose volumes → mounts ----------------------------------------------


@dataclass(frozen=True)
class Mount:
    """One container mount of a pod volume.

    ``persistent`` mounts are App volumes (their sub-paths are created by the
    init container); others are ConfigMap/Secret files, emptyDirs or hostPaths.
    """

    volume: str
    target: str
    sub_path: str
    source_label: str  # "volume:<src>" for target-conflict messages
    read_only: bool = False
    persistent: bool = True

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.volume, "mountPath": self.target}
        if self.sub_path:
            out["subPath"] = self.sub_path
        if self.read_only:
            out["readOnly"] = True
        return out


def volume_mount(vol: ServiceVolume, app_volumes: list[AppVolume], ref_base: str, files: FileSource) -> Mount:
    """Map one compose volume entry onto an App volume (§8.1)."""
    src, dst = vol.source, vol.target
    if not src or not dst:
        raise ConversionError("volume with empty source/target not supported")
    if ":" in src:
        raise ConversionError(f"unexpected ':' in volume source: {src}")
    if vol.type == "bind":
        if not ref_base.startswith("file://"):
            raise ConversionError(f'bind volume not allowed (RefBase: "{ref_base}"): {src}')
        if src.startswith("/"):
            raise ConversionError(f"absolute bind volume not supported: {src}")
        kind = files.cwd_kind(src)
        if kind is not None and kind is not FileKind.DIRECTORY:
            raise ConversionError(
                f"bind volume source must be a directory, not a single file: {src}"
                " (use configs/secrets for single-file mounts)"
            )
        if not app_volumes:
            raise ConversionError(f"relative bind volume '{src}' requires at least one app volume (default) defined")
        return Mount(app_volumes[0].name, dst, src, f"volume:{src}")
    if vol.type == "volume":
        name, _, sub_path = src.partition("/")
        if not any(v.name == name for v in app_volumes):
            raise ConversionError(f"named volume '{name}' referenced by '{src}' is not defined in app volumes")
        return Mount(name, dst, sub_path, f"volume:{src}")
    raise ConversionError(f"unsupported volume type: {vol.type} (source={src} target={dst})")


def init_container(sub_paths: set[tuple[str, str]]) -> dict[str, Any] | None:
    """``init-volume-subpaths`` creating every (volume, subPath) with mode 1777; None if none."""
    if not sub_paths:
        return None
    pairs = sorted(sub_paths, key=lambda p: (p[0].encode("utf-8"), p[1].encode("utf-8")))
    script = "\n".join(f"mkdir -m 1777 -p /work/{vol}/{sub}" for vol, sub in pairs)
    volumes = sorted({vol for vol, _ in pairs}, key=lambda v: v.encode("utf-8"))
    return {
        "name": INIT_CONTAINER,
        "image": INIT_IMAGE,
        "command": ["sh", "-c", script],
        "volumeMounts": [{"name": vol, "mountPath": f"/work/{vol}"} for vol in volumes],
    }


# --- bindings → PV/PVC ------------------------------------------------------


def check_bindings(bindings: list[VolumeBinding | None], app_volumes: list[AppVolume]) -> None:
    """Structural checks of the binding list (§8.3, first paragraph)."""
    known = {v.name for v in app_volumes}
    for index, binding in enumerate(bindings):
        if binding is None:
            raise ConversionError(f"binding at index {index} is nil")
        if not binding.name.strip():
            raise ConversionError(f"binding at index {index} has empty name")
        if binding.name not in known:
            raise ConversionError(f"volume {binding.name} is not defined in app")


def check_bindable(binding: VolumeBinding) -> None:
    """Per-binding checks; raise with upstream's message for the first missing piece."""
    name = binding.name
    if binding.disk is None:
        raise ConversionError(f"volume {name} has no disk in binding input")
    if not binding.disk.handle.strip():
        raise ConversionError(f"volume {name} has no handle in binding input")
    if binding.volume_class is None:
        raise ConversionError(f"no VolumeClass for volume {name}")
    if not binding.volume_class.bindable:
        raise ConversionError(f"no CSIDriver for volume {name}")


def local_source(binding: VolumeBinding) -> dict[str, Any]:
    """``local`` + ``nodeAffinity`` of a PV on a node-local disk (K3s ``localpath``).

    The disk supplies both (``options.path``, ``options.nodeAffinity``): the
    directory on the node and the node labels that pin the PV there.
    """
    assert binding.disk is not None
    options = binding.disk.options or {}
    path = options.get(DISK_OPTION_PATH)
    affinity = options.get(DISK_OPTION_NODE_AFFINITY)
    if not isinstance(path, str) or not path.startswith("/"):
        raise ConversionError(f"volume {binding.name}: local disk {binding.disk.name} has no absolute path option")
    if not isinstance(affinity, dict) or not affinity:
        raise ConversionError(f"volume {binding.name}: local disk {binding.disk.name} has no nodeAffinity option")
    expressions = [{"key": str(k), "operator": "In", "values": [str(v)]} for k, v in sorted(affinity.items())]
    return {
        "local": {"path": path},
        "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": expressions}]}},
    }


def persistent_volume_pair(
    names: AppNames, binding: VolumeBinding, app_volume: AppVolume
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The PV and the PVC (same name) of one bindable volume."""
    check_bindable(binding)
    assert binding.disk is not None and binding.volume_class is not None
    vc = binding.volume_class
    handle = binding.disk.handle.strip()
    name = binding.resource_name.strip() or names.volume_resource(binding.name, handle)
    size = binding.disk.size if binding.disk.size > 0 else app_volume.size
    storage = quantity(size)
    access_modes = [m for m in vc.access_modes if m in ACCESS_MODES] or ["ReadWriteOnce"]
    reclaim = "Delete" if vc.reclaim_policy == "Delete" else "Retain"
    mode = "Block" if vc.volume_mode == "Block" else "Filesystem"
    pv_spec: dict[str, Any] = {
        "accessModes": list(access_modes),
        "capacity": {"storage": storage},
        "persistentVolumeReclaimPolicy": reclaim,
        "volumeMode": mode,
    }
    pvc_spec: dict[str, Any] = {
        "accessModes": list(access_modes),
        "resources": {"requests": {"storage": storage}},
        "volumeName": name,
        "volumeMode": mode,
    }
    if vc.storage_class_name:
        pv_spec["storageClassName"] = vc.storage_class_name
        pvc_spec["storageClassName"] = vc.storage_class_name
    if vc.local and not vc.csi_driver.strip():
        pv_spec.update(local_source(binding))
    else:
        attributes = {k: v for k, v in vc.attributes.items() if v}
        if vc.fs_type:
            attributes["fsType"] = vc.fs_type
        csi: dict[str, Any] = {"driver": vc.csi_driver, "volumeHandle": handle}
        if attributes:
            csi["volumeAttributes"] = attributes
        pv_spec["csi"] = csi
    pv = {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": object_meta(name, names.base_labels()),
        "spec": pv_spec,
    }
    pvc = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": object_meta(name, names.base_labels(), names.namespace),
        "spec": pvc_spec,
    }
    return pv, pvc


def check_single_node(pvs: list[dict[str, Any]]) -> None:
    """Node-local PVs of one app must share their node: one pod mounts them all.

    Raised at conversion time because such a pod could never be scheduled.
    """
    pinned: dict[str, str] = {}
    for pv in pvs:
        spec = pv.get("spec") or {}
        if "local" not in spec:
            continue
        terms = ((spec.get("nodeAffinity") or {}).get("required") or {}).get("nodeSelectorTerms") or []
        where = ", ".join(f"{e['key']}={'|'.join(e['values'])}" for t in terms for e in t.get("matchExpressions") or [])
        pinned[pv["metadata"]["name"]] = where
    if len(set(pinned.values())) > 1:
        detail = "; ".join(f"{name} on {where}" for name, where in sorted(pinned.items()))
        raise ConversionError(
            f"the app's node-local volumes are on different nodes ({detail}); one pod mounts them all, "
            "so create or restore the disks on one node (disk create --zone) and assign them"
        )
