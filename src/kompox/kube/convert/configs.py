"""Compose ``configs``/``secrets`` → ConfigMaps, Secrets and single-file mounts (converter.md §13.2–13.4)."""

from __future__ import annotations

import base64
import posixpath
from dataclasses import dataclass
from typing import Any

from kompox.compose.model import Config, FileRef, Secret
from kompox.domain.naming import DNS1123_LABEL_MAX, dns1123_label_errors
from kompox.kube.convert.content_hash import content_hash
from kompox.kube.convert.errors import ConversionError
from kompox.kube.convert.files import FileKind, FileSource, join
from kompox.kube.convert.names import ANNOTATION_CONTENT_HASH, AppNames, object_meta

MAX_CONTENT = 1048576
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class FileObject:
    """A resolved top-level config or secret that becomes a ConfigMap/Secret."""

    key: str  # the compose key (config/secret name)
    data_key: str  # the key inside the object (basename or the name)
    content: bytes
    is_secret: bool


def validate_object_name(name: str) -> None:
    """DNS-1123 label rule for top-level config/secret keys (§13.2)."""
    if not name:
        raise ConversionError("config/secret name must not be empty")
    if len(name) > DNS1123_LABEL_MAX:
        raise ConversionError(f'config/secret name "{name}" exceeds {DNS1123_LABEL_MAX} characters')
    problems = dns1123_label_errors(name)
    if problems:
        raise ConversionError(f'invalid config/secret name "{name}": {", ".join(problems)}')


def is_text(data: bytes) -> bool:
    """Valid UTF-8, no NUL byte, no leading BOM."""
    if b"\x00" in data or data.startswith(_BOM):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def is_passthrough(entry: Config | Secret) -> bool:
    """External, or a name without file/content (e.g. ``environment:``-sourced): no object, no mount."""
    return entry.external or (entry.file is None and entry.content is None and bool(entry.name))


def resolve(
    entry: Config | Secret, is_secret: bool, ref_base: str, working_dir: str | None, files: FileSource
) -> FileObject | None:
    """Resolve the content of one entry; None for passthrough entries (§13.3)."""
    if is_passthrough(entry):
        return None
    name = entry.key
    if entry.content is not None:
        data = entry.content.encode("utf-8")
        if len(data) > MAX_CONTENT:
            raise ConversionError(f"inline content size {len(data)} exceeds limit {MAX_CONTENT} (1 MiB): {name}")
        if not is_secret and not is_text(data):
            raise ConversionError(f"ConfigMap inline content requires UTF-8 without BOM and no NUL bytes: {name}")
        return FileObject(name, name, data, is_secret)
    if entry.file is not None:
        try:
            data = _read_file(entry.file, is_secret, ref_base, working_dir, files)
        except ConversionError as err:
            raise ConversionError(f'config/secret "{name}": {err.message}') from err
        return FileObject(name, posixpath.basename(entry.file), data, is_secret)
    raise ConversionError(f'config/secret "{name}" must specify file, content, or name/external')


def _read_file(path: str, is_secret: bool, ref_base: str, working_dir: str | None, files: FileSource) -> bytes:
    if not ref_base.startswith("file://"):
        raise ConversionError(f'local file reference not allowed (RefBase: "{ref_base}"): {path}')
    if path.startswith("/"):
        raise ConversionError(f"absolute path not allowed: {path}")
    if ".." in path:
        raise ConversionError(f"path traversal not allowed: {path}")
    full = join(working_dir, path)
    try:
        info = files.lstat(full)
    except FileNotFoundError as err:
        raise ConversionError(f"stat failed: lstat {full}: no such file or directory") from err
    except OSError as err:
        raise ConversionError(f"stat failed: {err}") from err
    if info.kind is FileKind.SYMLINK:
        raise ConversionError(f"symlink not allowed: {path}")
    if info.kind is FileKind.DIRECTORY:
        raise ConversionError(f"directory not allowed: {path}")
    if info.kind is FileKind.OTHER:
        raise ConversionError(f"not a regular file: {path}")
    if info.size > MAX_CONTENT:
        raise ConversionError(f"file size {info.size} exceeds limit {MAX_CONTENT} (1 MiB): {path}")
    try:
        data = files.read(full)
    except OSError as err:
        raise ConversionError(f"read failed: {path}: {err.strerror or err}") from err
    if len(data) > MAX_CONTENT:
        raise ConversionError(f"file size {len(data)} exceeds limit {MAX_CONTENT} (1 MiB): {path}")
    if not is_secret and not is_text(data):
        raise ConversionError(f"ConfigMap requires UTF-8 without BOM and no NUL bytes: {path}")
    return data


def read_bind_file(path: str, ref_base: str, working_dir: str | None, files: FileSource) -> bytes:
    """A single-file bind source with the config/secret file checks (any content; 1 MiB at most)."""
    return _read_file(path, True, ref_base, working_dir, files)


def config_map(names: AppNames, obj: FileObject) -> dict[str, Any]:
    text = obj.content.decode("utf-8")
    meta = object_meta(names.config_map_name(obj.key), names.component_labels(), names.namespace)
    meta["annotations"] = {ANNOTATION_CONTENT_HASH: content_hash({obj.data_key: obj.content})}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {obj.data_key: text}}


def secret(names: AppNames, obj: FileObject) -> dict[str, Any]:
    meta = object_meta(names.secret_name(obj.key), names.component_labels(), names.namespace)
    meta["annotations"] = {ANNOTATION_CONTENT_HASH: content_hash({obj.data_key: obj.content})}
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": meta,
        "type": "Opaque",
        "data": {obj.data_key: base64.b64encode(obj.content).decode("ascii")},
    }


def env_secret(names: AppNames, service: str, env: dict[str, str]) -> dict[str, Any]:
    """The ``<app>-<component>-<service>-base`` Secret; ``data`` absent when ``env`` is empty."""
    raw = {k: v.encode("utf-8", errors="surrogateescape") for k, v in env.items()}
    meta = object_meta(names.env_base_secret(service), names.component_labels(), names.namespace)
    meta["annotations"] = {ANNOTATION_CONTENT_HASH: content_hash(raw)}
    out: dict[str, Any] = {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "type": "Opaque"}
    if raw:
        out["data"] = {k: base64.b64encode(v).decode("ascii") for k, v in sorted(raw.items())}
    return out


@dataclass
class FileMounts:
    """Mounts of one service's config/secret references plus the pod volumes they register."""

    mounts: list[dict[str, Any]]
    targets: list[tuple[str, str]]  # (source label, target) for conflict detection


class FileVolumes:
    """Pod volumes registered by the first reference of each config/secret (§13.4 item 6)."""

    def __init__(self) -> None:
        self.configs: dict[str, dict[str, Any]] = {}
        self.secrets: dict[str, dict[str, Any]] = {}

    def pod_volumes(self) -> list[dict[str, Any]]:
        """ConfigMap volumes then Secret volumes, each in ascending name order."""
        return [self.configs[k] for k in sorted(self.configs)] + [self.secrets[k] for k in sorted(self.secrets)]


def service_file_mounts(
    service: str,
    configs: list[FileRef],
    secrets: list[FileRef],
    resolved: dict[tuple[bool, str], FileObject | None],
    names: AppNames,
    volumes: FileVolumes,
) -> FileMounts:
    """Mounts for one service's ``configs`` then ``secrets`` references."""
    mounts: list[dict[str, Any]] = []
    targets: list[tuple[str, str]] = []
    for is_secret, refs in ((False, configs), (True, secrets)):
        word = "secret" if is_secret else "config"
        for ref in refs:
            if not ref.source:
                raise ConversionError(f"service {service}: {word} reference must have source")
            name = ref.source
            target = ref.target or (f"/run/secrets/{name}" if is_secret else f"/{name}")
            if (is_secret, name) not in resolved:
                raise ConversionError(f'service {service}: {word} "{name}" not defined in top-level {word}s')
            obj = resolved[(is_secret, name)]
            if obj is None:
                continue
            volume_name = f"sec-{name}" if is_secret else f"cfg-{name}"
            mounts.append({"name": volume_name, "mountPath": target, "subPath": obj.data_key, "readOnly": True})
            targets.append((f"{word}:{name}", target))
            item: dict[str, Any] = {"key": obj.data_key, "path": obj.data_key}
            if ref.mode is not None:
                item["mode"] = ref.mode
            if is_secret and name not in volumes.secrets:
                volumes.secrets[name] = {
                    "name": volume_name,
                    "secret": {"secretName": names.secret_name(name), "items": [item]},
                }
            elif not is_secret and name not in volumes.configs:
                volumes.configs[name] = {
                    "name": volume_name,
                    "configMap": {"name": names.config_map_name(name), "items": [item]},
                }
    return FileMounts(mounts, targets)
