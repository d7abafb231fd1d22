"""``secret env|pull set|delete``: the CLI-managed Secrets the converter refers to (kube-and-ops.md §13.6).

* env: ``<app>-<component>-<service>-override`` (``Opaque``), from a dotenv, YAML or JSON file;
* pull: ``<app>-<component>--pull`` (``kubernetes.io/dockerconfigjson``), a docker ``config.json`` verbatim.

Both carry only the annotation ``kompox.dev/compose-content-hash`` (no labels, as upstream) and are
written with server-side apply (field manager ``kompoxops``).  The input is parsed and checked
before any request; error messages name the file and line and never quote a value.  Nothing here
logs or returns a value: results carry names, the hash and key names only.  After a change the
Deployment ``<app>-<component>`` gets its pod content hash refreshed (a failure is a warning).
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from kompox.domain.errors import NotFoundError, ValidationError
from kompox.kube.convert.content_hash import content_hash
from kompox.kube.convert.env_files import parse_env_file, validate_env
from kompox.kube.convert.errors import ConversionError
from kompox.kube.convert.names import ANNOTATION_CONTENT_HASH, AppNames

log = logging.getLogger("kompox.usecase")

MAX_SECRET_FILE = 1024 * 1024  # the Kubernetes object size limit for Secret data
FIELD_MANAGER = "kompoxops"
TYPE_OPAQUE = "Opaque"
TYPE_DOCKER = "kubernetes.io/dockerconfigjson"
DOCKER_KEY = ".dockerconfigjson"

Obj = dict[str, Any]


class SecretKube(Protocol):
    """The Kubernetes operations of the secret use cases."""

    def namespace_exists(self, name: str) -> bool: ...
    def read_secret(self, namespace: str, name: str) -> Obj | None: ...
    def apply_secret(self, obj: Mapping[str, Any], remove_keys: Iterable[str]) -> None: ...
    def delete_secret(self, namespace: str, name: str) -> bool: ...
    def refresh_pod_hash(self, namespace: str, deployment: str) -> None: ...


@dataclass
class SecretResult:
    """The JSON output (Go field names, upstream order); never holds a value."""

    secret_name: str
    applied: bool
    action: str
    hash: str = ""
    keys: list[str] | None = None
    warnings: list[str] | None = None
    keys_field: str = "Keys"

    def to_json(self) -> dict[str, Any]:
        return {
            "SecretName": self.secret_name,
            "Applied": self.applied,
            "Action": self.action,
            "Hash": self.hash,
            self.keys_field: self.keys,
            "Warnings": self.warnings,
        }


@dataclass(frozen=True)
class SecretData:
    """Parsed, validated input: the data map (bytes), its content hash and the key names."""

    data: dict[str, bytes]
    hash: str
    keys: list[str] = field(default_factory=list)


def _check_size(source: str, content: bytes) -> None:
    if len(content) > MAX_SECRET_FILE:
        raise ValidationError(
            f"file is {len(content)} bytes, over the Kubernetes Secret limit of 1 MiB ({MAX_SECRET_FILE} bytes)",
            file=source,
        )


def _yaml_problem(err: BaseException) -> tuple[str, int | None]:
    """A YAML error's problem text and 1-based line, without the snippet of the offending line."""
    cause = err.__cause__ or err
    mark = getattr(cause, "problem_mark", None)
    problem = getattr(cause, "problem", None) or "invalid YAML"
    return f"invalid YAML: {problem}", (mark.line + 1) if mark is not None else None


def parse_env_input(source: str, content: bytes) -> SecretData:
    """``secret env set`` input: dotenv (default), ``.yml``/``.yaml`` mapping or ``.json`` object."""
    _check_size(source, content)
    lower = source.lower()
    try:
        env = parse_env_file(source, content)
        validate_env(env)
    except ConversionError as err:
        if lower.endswith((".yml", ".yaml")) and err.message.startswith(f"parse {source}: "):
            message, line = _yaml_problem(err)
            raise ValidationError(message, file=source, line=line) from None
        if lower.endswith(".json") and err.message.startswith(f"parse {source}: "):
            cause = err.__cause__
            line = getattr(cause, "lineno", None)
            raise ValidationError(
                f"invalid JSON: {getattr(cause, 'msg', 'syntax error')}", file=source, line=line
            ) from None
        text = err.message.removeprefix(f"{source}: ")
        raise ValidationError(text, file=source, line=_line_of(text)) from None
    data = {k: v.encode("utf-8", errors="surrogateescape") for k, v in env.items()}
    return SecretData(data, content_hash(env), sorted(env))


def _line_of(text: str) -> int | None:
    import re

    match = re.search(r"\bline (\d+)\b", text)
    return int(match.group(1)) if match else None


def parse_pull_input(source: str, content: bytes) -> SecretData:
    """``secret pull set`` input: a non-empty JSON object, stored verbatim."""
    _check_size(source, content)
    if not content.strip():
        raise ValidationError("empty docker config content", file=source)
    try:
        doc = json.loads(content)
    except json.JSONDecodeError as err:
        raise ValidationError(f"invalid json: {err.msg} (column {err.colno})", file=source, line=err.lineno) from None
    except UnicodeDecodeError:
        raise ValidationError("invalid json: the file is not UTF-8 text", file=source) from None
    if not isinstance(doc, dict):
        raise ValidationError("invalid json: a docker config must be a JSON object", file=source)
    if not doc:
        raise ValidationError("docker config json object is empty", file=source)
    text = content.decode("utf-8")
    return SecretData({DOCKER_KEY: content}, content_hash({DOCKER_KEY: text}), [DOCKER_KEY])


def _secret_object(namespace: str, name: str, secret_type: str, data: SecretData) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, "namespace": namespace, "annotations": {ANNOTATION_CONTENT_HASH: data.hash}},
        "type": secret_type,
        "data": {k: base64.b64encode(v).decode("ascii") for k, v in sorted(data.data.items())},
    }


def _current(existing: Obj) -> tuple[str, dict[str, bytes]]:
    annotations = (existing.get("metadata") or {}).get("annotations") or {}
    raw = existing.get("data") or {}
    return str(annotations.get(ANNOTATION_CONTENT_HASH, "")), {k: base64.b64decode(v) for k, v in raw.items()}


def _refresh(kube: SecretKube, names: AppNames, result: SecretResult) -> None:
    try:
        kube.refresh_pod_hash(names.namespace, names.resource)
    except Exception as err:  # upstream: a warning only (the Deployment may not exist yet)
        log.warning(
            "pod content hash not refreshed",
            extra={"attrs": {"deployment": names.resource, "err": type(err).__name__, "secret": result.secret_name}},
        )


def _require_namespace(kube: SecretKube, names: AppNames) -> None:
    if not kube.namespace_exists(names.namespace):
        raise NotFoundError(
            f"namespace {names.namespace} of app {names.app} does not exist: "
            "deploy the app first (kompoxops app deploy)"
        )


def set_secret(
    kube: SecretKube,
    names: AppNames,
    name: str,
    secret_type: str,
    data: SecretData,
    *,
    dry_run: bool = False,
    always_refresh: bool = False,
) -> SecretResult:
    """Create or replace the Secret when its content differs; ``noop`` when equal."""
    result = SecretResult(name, applied=False, action="updated", hash=data.hash, keys=data.keys)
    if dry_run:
        return result
    _require_namespace(kube, names)
    existing = kube.read_secret(names.namespace, name)
    if existing is not None:
        old_hash, old_data = _current(existing)
        if old_hash == data.hash and old_data == data.data and existing.get("type", TYPE_OPAQUE) == secret_type:
            result.action = "noop"
            if always_refresh:
                _refresh(kube, names, result)
            return result
        stale = sorted(set(old_data) - set(data.data))
    else:
        stale = []
    kube.apply_secret(_secret_object(names.namespace, name, secret_type, data), stale)
    result.applied = True
    result.action = "created" if existing is None else "updated"
    _refresh(kube, names, result)
    return result


def delete_secret(
    kube: SecretKube, names: AppNames, name: str, *, dry_run: bool = False, always_refresh: bool = False
) -> SecretResult:
    """Delete the Secret; an absent one (or namespace) is ``noop``, a success."""
    result = SecretResult(name, applied=False, action="deleted")
    if dry_run:
        return result
    if not kube.namespace_exists(names.namespace) or not kube.delete_secret(names.namespace, name):
        result.action = "noop"
        if always_refresh:
            _refresh(kube, names, result)
        return result
    result.applied = True
    _refresh(kube, names, result)
    return result
