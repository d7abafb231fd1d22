"""Compose ``volumes`` entries of a service → pod volumes and container mounts (issue #20).

Upstream's rules (converter.md §8.1) stay for every input upstream accepts:
a relative bind directory is a sub-path of the first App volume, a named
volume ``<name>[/<sub>]`` is the App volume of that name.  On top of them:

- **named volumes** resolve through ``App.compose_volumes`` first, then the
  exact name, then the normalised name (:func:`normalise_volume_name`,
  ``db_data`` → ``db-data``); two compose names normalising to one name
  without an explicit mapping are an error;
- **single-file binds** from the project directory
  (``./nginx.conf:/etc/nginx/nginx.conf:ro``) become a ConfigMap — a Secret
  for secret-like paths (:func:`secret_like`) or non-text content — mounted
  read-only with ``subPath``; the objects carry the content hash, so the pod
  content hash rolls the pod when the file changes; 1 MiB at most;
- **anonymous volumes** (``/app/node_modules``) become an ``emptyDir`` with a
  warning that the content is not kept; ``tmpfs`` mounts a memory-backed one;
- **absolute binds**: a prefix of ``App.host_paths`` maps them onto an App
  volume sub-path; ``/etc/localtime`` and ``/etc/timezone`` are dropped with a
  warning (read-only hostPath when the cluster allows ``host-timezone``);
  host-control paths (``docker.sock``, ``/proc``, …) are refused with the
  reason; anything else is refused naming the ``hostPaths`` entry to add.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from kompox.compose.model import Project, Service, ServiceVolume
from kompox.domain.model import App
from kompox.domain.naming import short_hash
from kompox.kube.convert import configs as cfg
from kompox.kube.convert.cluster_allow import HOST_TIMEZONE, SETTING
from kompox.kube.convert.errors import ConversionError
from kompox.kube.convert.files import FileKind, FileSource, join
from kompox.kube.convert.k8s_rules import config_key
from kompox.kube.convert.names import AppNames
from kompox.kube.convert.sizes import compose_bytes, size_quantity
from kompox.kube.convert.volumes import Mount, volume_mount

_SECRET_DIRS = frozenset({"secret", "secrets", ".secrets", "private"})
_SECRET_SUFFIXES = (".key", ".pem", ".p12", ".pfx", ".jks", ".keystore", ".htpasswd")
_SECRET_PREFIXES = (".env", "id_rsa", "id_ed25519", "id_ecdsa")
TIME_FILES = ("/etc/localtime", "/etc/timezone")
# Host paths a pod must never bind: (path, reason).  A source equal to or below one is refused.
HOST_CONTROL: tuple[tuple[str, str], ...] = (
    ("/var/run/docker.sock", "the Docker socket controls the node's containers (and nodes run no Docker)"),
    ("/run/docker.sock", "the Docker socket controls the node's containers (and nodes run no Docker)"),
    ("/var/run/containerd", "the container runtime socket controls the node"),
    ("/run/containerd", "the container runtime socket controls the node"),
    ("/var/run/crio", "the container runtime socket controls the node"),
    ("/run/crio", "the container runtime socket controls the node"),
    ("/var/run/podman", "the container runtime socket controls the node"),
    ("/run/podman", "the container runtime socket controls the node"),
    ("/var/lib/docker", "container runtime state of the node"),
    ("/var/lib/containerd", "container runtime state of the node"),
    ("/var/lib/kubelet", "kubelet state of the node"),
    ("/proc", "kernel interfaces of the node"),
    ("/sys", "kernel interfaces of the node"),
    ("/dev", "devices of the node (use devices: with a cluster that allows them)"),
    ("/boot", "the node's boot files"),
    ("/lib/modules", "the node's kernel modules"),
    ("/run/systemd", "the node's init system"),
    ("/var/run/dbus", "the node's system bus"),
    ("/run/dbus", "the node's system bus"),
)


def normalise_volume_name(name: str) -> str:
    """The documented normalisation of compose volume names: lower-case, ``_`` and ``.`` → ``-``."""
    return name.lower().replace("_", "-").replace(".", "-")


def secret_like(path: str) -> bool:
    """A bind file that becomes a Secret: under ``secret(s)``/``.secrets``/``private``, or a key-like name."""
    parts = path.split("/")
    base = parts[-1].lower()
    return (
        any(p.lower() in _SECRET_DIRS for p in parts[:-1])
        or base.endswith(_SECRET_SUFFIXES)
        or base.startswith(_SECRET_PREFIXES)
    )


def _slug(text: str, limit: int) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-")


def _within(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


def _join_sub(prefix: str, rest: str) -> str:
    return "/".join(p for p in (prefix, rest) if p)


@dataclass
class VolumePlanner:
    """Plans the pod volumes of every service; one per conversion."""

    app: App
    project: Project
    names: AppNames
    files: FileSource
    allow: frozenset[str]
    pod_volumes: list[dict[str, Any]] = field(default_factory=list)
    objects: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _aliases: dict[str, tuple[str, str]] = field(default_factory=dict)
    _bind_keys: set[str] = field(default_factory=set)
    _counters: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._aliases = self._resolve_named_volumes()

    # --- named volumes ------------------------------------------------------

    def _compose_volume_names(self) -> list[str]:
        names = set(self.project.volumes)
        for service in self.project.services.values():
            for vol in service.volumes:
                if vol.type == "volume" and vol.source:
                    names.add(vol.source.partition("/")[0])
        return sorted(names)

    def _resolve_named_volumes(self) -> dict[str, tuple[str, str]]:
        app_volumes = {v.name for v in self.app.volumes}
        by_normal: dict[str, list[str]] = {}
        aliases: dict[str, tuple[str, str]] = {}
        for name in self._compose_volume_names():
            if name in self.app.compose_volumes:
                volume, _, prefix = self.app.compose_volumes[name].partition("/")
                aliases[name] = (volume, prefix)
                continue
            by_normal.setdefault(normalise_volume_name(name), []).append(name)
        for normal, group in sorted(by_normal.items()):
            if len(group) > 1:
                listed = " and ".join(f'"{g}"' for g in group)
                raise ConversionError(
                    f'compose volumes {listed} both normalise to "{normal}"; map each to an App volume '
                    f"in the App (spec.composeVolumes)"
                )
            name = group[0]
            if name in app_volumes:
                continue  # upstream's rule, unchanged
            if normal in app_volumes:
                aliases[name] = (normal, "")
        return aliases

    # --- mounts -------------------------------------------------------------

    def service_mounts(self, service: Service) -> list[Mount]:
        """The mounts of one service's ``volumes``, ``tmpfs`` and ``shm_size``, in that order."""
        mounts: list[Mount] = []
        for vol in service.volumes:
            mount = self._mount(service, vol)
            if mount is not None:
                mounts.append(mount)
        mounts.extend(self._tmpfs_mounts(service))
        return mounts

    def _mount(self, service: Service, vol: ServiceVolume) -> Mount | None:
        src, dst = vol.source, vol.target
        label = f"volume:{src}"
        if not dst:
            return volume_mount(vol, self.app.volumes, self.app.ref_base, self.files)  # upstream's error
        if vol.type == "volume" and not src:
            self.warnings.append(
                f"service {service.name}: anonymous volume {dst} becomes an emptyDir; its content is not kept "
                "when the pod is replaced (declare a named volume to keep it)"
            )
            return Mount(self._empty_dir("anon", {}), dst, "", f"volume:{dst}", persistent=False)
        if vol.type == "tmpfs":
            size = (vol.tmpfs or {}).get("size")
            return Mount(self._memory_dir("tmpfs", size), dst, "", f"volume:{dst}", persistent=False)
        if vol.type == "volume" and src and ":" not in src:
            name, _, rest = src.partition("/")
            alias = self._aliases.get(name)
            if alias is not None:
                return Mount(alias[0], dst, _join_sub(alias[1], rest), label)
            if not any(v.name == name for v in self.app.volumes):
                raise ConversionError(
                    f"named volume '{name}' referenced by '{src}' is not defined in app volumes "
                    f'(add App volume "{normalise_volume_name(name)}" to spec.volumes, or map "{name}" '
                    "in spec.composeVolumes)"
                )
        if vol.type == "bind" and src and self.app.ref_base.startswith("file://"):
            if src.startswith("/"):
                return self._absolute_bind(service, src, dst, vol.read_only)
            single = self._single_file(service, src, dst)
            if single is not None:
                return single
        return volume_mount(vol, self.app.volumes, self.app.ref_base, self.files)

    def _absolute_bind(self, service: Service, src: str, dst: str, read_only: bool) -> Mount | None:
        path = posixpath.normpath(src)
        where = f"service {service.name}: bind mount {src}:{dst}"
        for control, reason in HOST_CONTROL:
            if _within(path, control) or path == "/":
                why = reason if path != "/" else "the node's whole file system"
                raise ConversionError(f"{where} refused: {why}; a pod must not control its node")
        prefixes = sorted((p for p in self.app.host_paths if _within(path, p)), key=len, reverse=True)
        if prefixes:
            prefix = prefixes[0]
            volume, _, sub = self.app.host_paths[prefix].partition("/")
            rest = path[len(prefix) :].lstrip("/")
            return Mount(volume, dst, _join_sub(sub, rest), f"volume:{src}", read_only=read_only)
        if path in TIME_FILES:
            return self._time_file(service, path, dst)
        parent = posixpath.dirname(path) if posixpath.dirname(path) != "/" else path
        raise ConversionError(
            f"absolute bind volume not supported: {src} (service {service.name}); map a host path prefix to an "
            f'App volume in the App: spec.hostPaths: {{"{parent}": <volume>}}'
        )

    def _time_file(self, service: Service, path: str, dst: str) -> Mount | None:
        if HOST_TIMEZONE in self.allow:
            name = f"host-{_slug(path, 40)}"
            if not any(v["name"] == name for v in self.pod_volumes):
                self.pod_volumes.append({"name": name, "hostPath": {"path": path, "type": "File"}})
            return Mount(name, dst, "", f"volume:{path}", read_only=True, persistent=False)
        tz = service.environment.get("TZ")
        hint = f"TZ={tz} from its environment applies" if tz else "set TZ in its environment (e.g. TZ: Europe/Berlin)"
        self.warnings.append(
            f"service {service.name}: host {path} is not mounted (pods do not share the node's time zone); {hint}; "
            f"a cluster with {SETTING}: {HOST_TIMEZONE} mounts it read-only instead"
        )
        return None

    def _single_file(self, service: Service, src: str, dst: str) -> Mount | None:
        full = join(self.project.working_dir, src)
        try:
            info = self.files.lstat(full)
        except OSError:
            return None
        if info.kind is not FileKind.FILE:
            return None
        where = f"service {service.name}: bind mount ./{src}:{dst}"
        is_secret = secret_like(src)
        try:
            data = cfg.read_bind_file(src, self.app.ref_base, self.project.working_dir, self.files)
        except ConversionError as err:
            raise ConversionError(
                f"{where}: {err.message} (a ConfigMap/Secret holds at most 1 MiB; put larger files into the "
                "image or onto an App volume)"
                if "exceeds limit" in err.message
                else f"{where}: {err.message}"
            ) from err
        is_secret = is_secret or not cfg.is_text(data)
        base = posixpath.basename(src)
        data_key = "content" if config_key(base) else base
        key = f"bind-{_slug(src, 40)}-{short_hash(src)}"
        obj = cfg.FileObject(key, data_key, data, is_secret)
        volume = f"sec-{key}" if is_secret else f"cfg-{key}"
        if key not in self._bind_keys:
            self._bind_keys.add(key)
            self.objects.append(cfg.secret(self.names, obj) if is_secret else cfg.config_map(self.names, obj))
            item = {"key": data_key, "path": data_key}
            source: dict[str, Any] = (
                {"secret": {"secretName": self.names.secret_name(key), "items": [item]}}
                if is_secret
                else {"configMap": {"name": self.names.config_map_name(key), "items": [item]}}
            )
            self.pod_volumes.append({"name": volume, **source})
        return Mount(volume, dst, data_key, f"volume:{src}", read_only=True, persistent=False)

    # --- memory-backed and scratch volumes -----------------------------------

    def _next(self, kind: str) -> str:
        self._counters[kind] = self._counters.get(kind, 0) + 1
        return f"{kind}-{self._counters[kind]}"

    def _empty_dir(self, kind: str, spec: dict[str, Any]) -> str:
        name = self._next(kind)
        self.pod_volumes.append({"name": name, "emptyDir": spec})
        return name

    def _memory_dir(self, kind: str, size: Any) -> str:
        spec: dict[str, Any] = {"medium": "Memory"}
        if size not in (None, "", 0):
            spec["sizeLimit"] = size_quantity(compose_bytes(size, f"{kind} size"))
        return self._empty_dir(kind, spec)

    def _tmpfs_mounts(self, service: Service) -> list[Mount]:
        mounts: list[Mount] = []
        raw = service.raw.get("tmpfs")
        entries = [raw] if isinstance(raw, str) else list(raw or [])
        for entry in entries:
            target, _, options = str(entry).partition(":")
            size = None
            for option in options.split(","):
                key, _, value = option.partition("=")
                if key.strip() == "size" and value:
                    size = value.strip()
            mounts.append(Mount(self._memory_dir("tmpfs", size), target, "", f"volume:{target}", persistent=False))
        shm = service.raw.get("shm_size")
        if shm not in (None, "", 0):
            mounts.append(Mount(self._memory_dir("shm", shm), "/dev/shm", "", "volume:/dev/shm", persistent=False))
        return mounts
