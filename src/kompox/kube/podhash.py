"""Pod content hash and the runtime Deployment patch plan (converter.md §14.2, §16.3).

Pure functions: the client gathers the Deployment, Secrets and ConfigMaps and
asks :func:`plan_pod_template_patch` what to change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kompox.domain.naming import short_hash

CONTENT_HASH_ANNOTATION = "kompox.dev/compose-content-hash"
PULL_SECRET_SUFFIX = "--pull"

Obj = Mapping[str, Any]


def hash_index(secrets: Iterable[Obj], configmaps: Iterable[Obj]) -> dict[str, str]:
    """name → content-hash annotation; Secrets first, then ConfigMaps (a ConfigMap wins on a clash)."""
    index: dict[str, str] = {}
    for obj in [*secrets, *configmaps]:
        meta = obj.get("metadata") or {}
        name = meta.get("name")
        if name:
            index[str(name)] = str((meta.get("annotations") or {}).get(CONTENT_HASH_ANNOTATION, ""))
    return index


def pod_content_hash(pod_spec: Obj, index: Mapping[str, str]) -> str:
    """Hash over the Secrets/ConfigMaps a pod spec references; empty when it references none."""
    segments: list[str] = []
    found = False
    for ref in pod_spec.get("imagePullSecrets") or []:
        name = (ref or {}).get("name", "")
        if name:
            found = True
            segments.append(index.get(name, ""))
    containers = sorted(pod_spec.get("containers") or [], key=lambda c: str(c.get("name", "")))
    for container in containers:
        for env_from in container.get("envFrom") or []:
            for key in ("secretRef", "configMapRef"):
                ref = env_from.get(key)
                if ref and ref.get("name"):
                    found = True
                    segments.append(index.get(ref["name"], ""))
    for volume in pod_spec.get("volumes") or []:
        secret = volume.get("secret")
        configmap = volume.get("configMap")
        if secret and secret.get("secretName"):
            found = True
            segments.append(index.get(secret["secretName"], ""))
        elif configmap and configmap.get("name"):
            found = True
            segments.append(index.get(configmap["name"], ""))
    if not found:
        return ""
    return short_hash("".join(segments))


def referenced_names(pod_spec: Obj) -> tuple[set[str], set[str]]:
    """(Secret names, ConfigMap names) the pod spec references."""
    secrets: set[str] = set()
    configmaps: set[str] = set()
    for ref in pod_spec.get("imagePullSecrets") or []:
        if (ref or {}).get("name"):
            secrets.add(ref["name"])
    for container in pod_spec.get("containers") or []:
        for env_from in container.get("envFrom") or []:
            if (env_from.get("secretRef") or {}).get("name"):
                secrets.add(env_from["secretRef"]["name"])
            if (env_from.get("configMapRef") or {}).get("name"):
                configmaps.add(env_from["configMapRef"]["name"])
    for volume in pod_spec.get("volumes") or []:
        if (volume.get("secret") or {}).get("secretName"):
            secrets.add(volume["secret"]["secretName"])
        if (volume.get("configMap") or {}).get("name"):
            configmaps.add(volume["configMap"]["name"])
    return secrets, configmaps


def _pull_secrets(deployment_name: str, secrets: list[Obj]) -> list[dict[str, str]]:
    """``imagePullSecrets`` of the pod: ``<deployment>--pull`` when that Secret exists, else none."""
    pull_name = f"{deployment_name}{PULL_SECRET_SUFFIX}"
    return [{"name": pull_name}] if any((s.get("metadata") or {}).get("name") == pull_name for s in secrets) else []


@dataclass(frozen=True)
class PodTemplatePatch:
    """What the runtime patch changes; ``json_patch``/``merge_patch`` express the same intent."""

    content_hash: str
    pull_secrets: list[dict[str, str]]
    json_patch: list[dict[str, Any]]
    merge_patch: dict[str, Any]


def plan_pod_template_patch(
    deployment: Obj, secrets: Iterable[Obj], configmaps: Iterable[Obj]
) -> PodTemplatePatch | None:
    """The patch that syncs the pod template with pull secret and referenced content; ``None`` if in sync."""
    meta = deployment.get("metadata") or {}
    name = str(meta.get("name", ""))
    secrets = list(secrets)
    template = (deployment.get("spec") or {}).get("template") or {}
    spec = dict(template.get("spec") or {})
    template_annotations = (template.get("metadata") or {}).get("annotations")
    desired_pull = _pull_secrets(name, secrets)
    current_pull = [{"name": (r or {}).get("name", "")} for r in spec.get("imagePullSecrets") or []]
    spec["imagePullSecrets"] = desired_pull
    content_hash = pod_content_hash(spec, hash_index(secrets, configmaps))
    current_hash = (template_annotations or {}).get(CONTENT_HASH_ANNOTATION, "")
    hash_changed = bool(content_hash) and content_hash != current_hash
    pull_changed = current_pull != desired_pull
    if not hash_changed and not pull_changed:
        return None
    ops: list[dict[str, Any]] = []
    merge_template: dict[str, Any] = {}
    if hash_changed:
        if template_annotations is None:
            ops.append({"op": "add", "path": "/spec/template/metadata/annotations", "value": {}})
        key = CONTENT_HASH_ANNOTATION.replace("~", "~0").replace("/", "~1")
        ops.append({"op": "add", "path": f"/spec/template/metadata/annotations/{key}", "value": content_hash})
        merge_template["metadata"] = {"annotations": {CONTENT_HASH_ANNOTATION: content_hash}}
    if pull_changed:
        ops.append({"op": "add", "path": "/spec/template/spec/imagePullSecrets", "value": desired_pull})
        merge_template["spec"] = {"imagePullSecrets": desired_pull}
    return PodTemplatePatch(
        content_hash=content_hash if hash_changed else current_hash,
        pull_secrets=desired_pull,
        json_patch=ops,
        merge_patch={"spec": {"template": merge_template}},
    )


@dataclass(frozen=True)
class PodTemplateStamp:
    """What :func:`stamp_pod_template` wrote into a desired Deployment."""

    content_hash: str
    pull_secrets: list[dict[str, str]]


def stamp_pod_template(
    deployment: dict[str, Any], secrets: Iterable[Obj], configmaps: Iterable[Obj]
) -> PodTemplateStamp:
    """Write the pod content hash and pull secret into a *desired* Deployment (in place), before it is applied.

    The same values :func:`plan_pod_template_patch` patches in afterwards, so
    that the first apply already carries them (one rollout, not two).
    """
    name = str((deployment.get("metadata") or {}).get("name", ""))
    secrets = list(secrets)
    template = deployment.setdefault("spec", {}).setdefault("template", {})
    spec = template.setdefault("spec", {})
    pull = _pull_secrets(name, secrets)
    if pull:
        spec["imagePullSecrets"] = pull
    else:
        spec.pop("imagePullSecrets", None)
    content_hash = pod_content_hash(spec, hash_index(secrets, configmaps))
    if content_hash:
        template.setdefault("metadata", {}).setdefault("annotations", {})[CONTENT_HASH_ANNOTATION] = content_hash
    return PodTemplateStamp(content_hash, pull)


def template_stamp_of(deployment: Obj) -> PodTemplateStamp:
    """The hash annotation and pull secrets a (live) Deployment carries."""
    template = (deployment.get("spec") or {}).get("template") or {}
    annotations = (template.get("metadata") or {}).get("annotations") or {}
    pull = [
        {"name": str((r or {}).get("name", ""))} for r in (template.get("spec") or {}).get("imagePullSecrets") or []
    ]
    return PodTemplateStamp(str(annotations.get(CONTENT_HASH_ANNOTATION, "")), pull)
