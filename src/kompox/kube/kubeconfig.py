"""Kubeconfig bytes → ``kubernetes`` client configuration, without files on disk.

The official client's loader writes ``*-data`` certificates and keys to
temporary files.  Kompox never writes credentials to disk (README decision
"Kubeconfig"), so before the loader sees the kubeconfig, every inline
certificate, key and CA bundle of the selected context is moved into an
anonymous in-memory file (``memfd_create``) and referenced by its
``/proc/self/fd/N`` path.  The descriptors stay open for the lifetime of the
client, because TLS connections (urllib3 and the websocket transport) load the
files lazily; :meth:`KubeconfigMaterial.close` releases them.

Where ``memfd_create`` does not exist (non-Linux), the material falls back to
0600 temporary files that are removed on close.
"""

from __future__ import annotations

import base64
import contextlib
import os
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kompox import __version__
from kompox.domain.errors import ValidationError

_INLINE_KEYS = (
    ("cluster", "certificate-authority-data", "certificate-authority"),
    ("user", "client-certificate-data", "client-certificate"),
    ("user", "client-key-data", "client-key"),
)


def user_agent(library_version: str = "") -> str:
    """``kompoxops/<version> (<os>/<arch>) kubernetes/<lib>/kompoxops`` (kube-and-ops.md §3).

    The API server names the field manager of non-apply writes after the first
    ``/``-separated segment, so those writes are attributed to ``kompoxops``.
    """
    if not library_version:
        try:
            from importlib.metadata import version

            library_version = version("kubernetes")
        except Exception:  # pragma: no cover - metadata always present in the venv
            library_version = "unknown"
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine() or "unknown")
    return f"kompoxops/{__version__} ({sys.platform}/{arch}) kubernetes/{library_version}/kompoxops"


def parse_kubeconfig(data: bytes) -> dict[str, Any]:
    """Parse kubeconfig bytes; raise :class:`ValidationError` for empty or malformed input."""
    if not data or not data.strip():
        raise ValidationError("kubeconfig is empty")
    try:
        doc = yaml.safe_load(data)
    except yaml.YAMLError as exc:
        raise ValidationError(f"kubeconfig is not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise ValidationError("kubeconfig is not a mapping")
    return doc


def _named(doc: dict[str, Any], section: str, name: str) -> dict[str, Any] | None:
    for entry in doc.get(section) or []:
        if isinstance(entry, dict) and entry.get("name") == name:
            return entry
    return None


def select_context(doc: dict[str, Any], context: str | None = None) -> str:
    """The context to use: the given one, else ``current-context``, else the only context."""
    contexts = [c.get("name") for c in doc.get("contexts") or [] if isinstance(c, dict)]
    if context:
        if context not in contexts:
            raise ValidationError(f"kubeconfig has no context {context!r}")
        return context
    current = doc.get("current-context")
    if current:
        if current not in contexts:
            raise ValidationError(f"kubeconfig current context {current!r} does not exist")
        return str(current)
    if len(contexts) == 1 and contexts[0]:
        return str(contexts[0])
    raise ValidationError("kubeconfig has no current context")


def server_url(doc: dict[str, Any], context: str) -> str:
    """The API server URL of ``context`` (empty when absent)."""
    ctx = _named(doc, "contexts", context) or {}
    cluster_name = (ctx.get("context") or {}).get("cluster", "")
    cluster = _named(doc, "clusters", cluster_name) or {}
    return str((cluster.get("cluster") or {}).get("server", "")).rstrip("/")


@dataclass
class KubeconfigMaterial:
    """In-memory files backing the certificates of one client; close to release them."""

    paths: list[str] = field(default_factory=list)
    _fds: list[int] = field(default_factory=list)
    _temp_paths: list[str] = field(default_factory=list)

    def add(self, name: str, content: bytes) -> str:
        memfd_create = getattr(os, "memfd_create", None)
        if memfd_create is not None and Path("/proc/self/fd").is_dir():
            fd = memfd_create(f"kompox-{name}", 0)
            os.write(fd, content)
            self._fds.append(fd)
            path = f"/proc/self/fd/{fd}"
        else:  # pragma: no cover - non-Linux fallback
            import tempfile

            handle, path = tempfile.mkstemp(prefix="kompox-kube-")
            os.fchmod(handle, 0o600)
            os.write(handle, content)
            os.close(handle)
            self._temp_paths.append(path)
        self.paths.append(path)
        return path

    def close(self) -> None:
        for fd in self._fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        for path in self._temp_paths:  # pragma: no cover - non-Linux fallback
            with contextlib.suppress(OSError):
                Path(path).unlink()
        self._fds.clear()
        self._temp_paths.clear()
        self.paths.clear()


def inline_to_memory(doc: dict[str, Any], context: str) -> tuple[dict[str, Any], KubeconfigMaterial]:
    """Copy of ``doc`` whose context's ``*-data`` entries point at in-memory files."""
    material = KubeconfigMaterial()
    out = yaml.safe_load(yaml.safe_dump(doc))  # deep copy of plain data
    ctx = _named(out, "contexts", context) or {}
    refs = ctx.get("context") or {}
    entries = {
        "cluster": (_named(out, "clusters", refs.get("cluster", "")) or {}).get("cluster"),
        "user": (_named(out, "users", refs.get("user", "")) or {}).get("user"),
    }
    for section, data_key, file_key in _INLINE_KEYS:
        entry = entries[section]
        if not isinstance(entry, dict) or not entry.get(data_key):
            continue
        try:
            content = base64.standard_b64decode(entry[data_key])
        except (ValueError, TypeError):
            material.close()
            raise ValidationError(f"kubeconfig {section} {data_key} is not valid base64") from None
        entry[file_key] = material.add(file_key, content)
        del entry[data_key]
    return out, material


def build_configuration(data: bytes, context: str | None = None) -> tuple[Any, KubeconfigMaterial, str]:
    """``(kubernetes.client.Configuration, material, server URL)`` from kubeconfig bytes."""
    from kubernetes import client as k8s_client
    from kubernetes.config.config_exception import ConfigException
    from kubernetes.config.kube_config import KubeConfigLoader

    doc = parse_kubeconfig(data)
    ctx = select_context(doc, context)
    prepared, material = inline_to_memory(doc, ctx)
    configuration = k8s_client.Configuration()
    try:
        loader = KubeConfigLoader(config_dict=prepared, active_context=ctx)  # type: ignore[no-untyped-call]
        loader.load_and_set(configuration)  # type: ignore[no-untyped-call]
    except ConfigException as exc:
        material.close()
        raise ValidationError(f"invalid kubeconfig: {exc}") from None
    return configuration, material, server_url(doc, ctx)
