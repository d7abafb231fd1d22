"""The typed shape of every KOM kind's ``spec`` (kom.md §4) and its decoder.

A spec is described by nested schema values: a type tag (``str``, ``int``,
``bool``, ``[str]``, ``{str}``, ``any``, ``{any}``), an :class:`Obj` (fields
by camelCase name) or a :class:`ListOf`.  :func:`decode` turns a decoded YAML
value into plain Python data with canonical field names, applying KOM's
scalar rules and Go ``encoding/json`` semantics (case-insensitive field
names, unknown fields ignored, ``null`` = absent).  Absent fields are left out
so that "present but empty" stays distinguishable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kompox.kom.scalar import json_kind, json_number, scalar_to_string
from kompox.kom.yaml_stream import Path

Spec = Any  # str tag | Obj | ListOf

GO_TYPES = {"str": "string", "int": "int", "bool": "bool", "[str]": "[]string", "{str}": "map[string]string"}


@dataclass(frozen=True)
class Obj:
    """The spec of a KOM mapping: its fields (matched case-insensitively) and the Go type name."""

    fields: dict[str, Spec]
    go_name: str = "struct"
    folded: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "folded", {name.lower(): name for name in self.fields})


@dataclass(frozen=True)
class ListOf:
    """The spec of a KOM sequence whose items follow ``item``."""

    item: Spec


@dataclass
class DecodeProblem:
    """One decoding error at ``path`` of a KOM document."""

    path: Path
    message: str


@dataclass
class DecodeResult:
    """A decoded KOM value with its errors and the paths of unknown fields."""

    value: Any
    errors: list[DecodeProblem]
    unknown: list[Path]


ScalarText = Callable[[Any, Path], "str | None"]


def format_path(path: Path) -> str:
    """``("spec", "volumes", 0, "type")`` → ``spec.volumes[0].type``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif "." in part or "/" in part:
            out += f'["{part}"]'
        else:
            out += f".{part}" if out else part
    return out


class _Decoder:
    def __init__(self, scalar_text: ScalarText | None) -> None:
        self.errors: list[DecodeProblem] = []
        self.unknown: list[Path] = []
        self.scalar_text = scalar_text

    def type_error(self, value: Any, go_type: str, path: Path) -> None:
        kind = json_kind(value)
        shown = f" {json.dumps(value)}" if kind in ("string", "number") else ""
        self.errors.append(DecodeProblem(path, f"cannot unmarshal {kind}{shown} into a field of type {go_type}"))

    def text(self, value: Any, path: Path) -> str | None:
        if self.scalar_text is not None and not isinstance(value, str):
            custom = self.scalar_text(value, path)
            if custom is not None:
                return custom
        return scalar_to_string(value)

    def decode(self, value: Any, spec: Spec, path: Path) -> Any:
        if isinstance(spec, Obj):
            return self.obj(value, spec, path)
        if isinstance(spec, ListOf):
            if not isinstance(value, list):
                self.type_error(value, "[]" + (spec.item.go_name if isinstance(spec.item, Obj) else "?"), path)
                return None
            empty: Any = {} if isinstance(spec.item, Obj) else None
            return [self.decode(empty if v is None else v, spec.item, (*path, i)) for i, v in enumerate(value)]
        return self.leaf(value, spec, path)

    def obj(self, value: Any, spec: Obj, path: Path) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.type_error(value, spec.go_name, path)
            return None
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = key if key in spec.fields else spec.folded.get(key.lower())
            if name is None:
                self.unknown.append((*path, key))
                continue
            if item is None:
                out.pop(name, None)
                continue
            decoded = self.decode(item, spec.fields[name], (*path, key))
            if decoded is not None:
                out[name] = decoded
        return out

    def leaf(self, value: Any, tag: str, path: Path) -> Any:
        if tag == "any":
            return json_number(value)
        if tag == "yaml":
            return value
        if tag == "{yaml}":
            if not isinstance(value, dict):
                self.type_error(value, "map[string]interface {}", path)
                return None
            return value
        if tag == "{any}":
            if not isinstance(value, dict):
                self.type_error(value, "map[string]interface {}", path)
                return None
            return json_number(value)
        if tag == "str":
            text = self.text(value, path)
            if text is None:
                self.type_error(value, "string", path)
            return text
        if tag == "int":
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            if isinstance(value, float) and value.is_integer():
                return int(value)
            self.type_error(value, "int", path)
            return None
        if tag == "bool":
            if isinstance(value, bool):
                return value
            self.type_error(value, "bool", path)
            return None
        if tag == "[str]":
            if not isinstance(value, list):
                self.type_error(value, "[]string", path)
                return None
            items: list[str] = []
            for i, item in enumerate(value):
                text = "" if item is None else self.text(item, (*path, i))
                if text is None:
                    self.type_error(item, "string", (*path, i))
                    continue
                items.append(text)
            return items
        if tag == "{str}":
            if not isinstance(value, dict):
                self.type_error(value, "map[string]string", path)
                return None
            mapping: dict[str, str] = {}
            for key, item in value.items():
                text = "" if item is None else self.text(item, (*path, key))
                if text is None:
                    self.type_error(item, "string", (*path, key))
                    continue
                mapping[key] = text
            return mapping
        raise ValueError(f"unknown schema tag {tag!r}")


def decode(value: Any, spec: Spec, path: Path = (), scalar_text: ScalarText | None = None) -> DecodeResult:
    """Decode ``value`` against ``spec``; problems and unknown fields are collected, never raised."""
    decoder = _Decoder(scalar_text)
    result = None if value is None else decoder.decode(value, spec, path)
    return DecodeResult(result, decoder.errors, decoder.unknown)


# --- the kinds -----------------------------------------------------------------

NETWORK_POLICY = Obj(
    {
        "ingressRules": ListOf(
            Obj(
                {
                    "from": ListOf(
                        Obj(
                            {
                                "namespaceSelector": Obj(
                                    {
                                        "matchLabels": "{str}",
                                        "matchExpressions": ListOf(
                                            Obj(
                                                {"key": "str", "operator": "str", "values": "[str]"},
                                                "LabelSelectorRequirement",
                                            )
                                        ),
                                    },
                                    "LabelSelector",
                                )
                            },
                            "NetworkPolicyPeer",
                        )
                    ),
                    "ports": ListOf(Obj({"protocol": "str", "port": "int"}, "NetworkPolicyPort")),
                },
                "NetworkPolicyIngressRule",
            )
        )
    },
    "NetworkPolicy",
)

DEFAULTS_SPEC = Obj({"komPath": "[str]", "appId": "str"}, "DefaultsSpec")
WORKSPACE_SPEC = Obj({"settings": "{str}"}, "WorkspaceSpec")
PROVIDER_SPEC = Obj({"driver": "str", "settings": "{str}"}, "ProviderSpec")
CLUSTER_SPEC = Obj(
    {
        "existing": "bool",
        "ingress": Obj(
            {
                "namespace": "str",
                "controller": "str",
                "serviceAccount": "str",
                "domain": "str",
                "certResolver": "str",
                "certEmail": "str",
                "certificates": ListOf(Obj({"name": "str", "source": "str"}, "ClusterIngressCertificate")),
            },
            "ClusterIngress",
        ),
        "protection": Obj({"provisioning": "str", "installation": "str"}, "ClusterProtection"),
        "settings": "{str}",
    },
    "ClusterSpec",
)
APP_SPEC = Obj(
    {
        "compose": "str",
        "ingress": Obj(
            {
                "certResolver": "str",
                "rules": ListOf(Obj({"name": "str", "port": "int", "hosts": "[str]"}, "AppIngressRule")),
            },
            "AppIngress",
        ),
        "volumes": ListOf(Obj({"name": "str", "size": "any", "type": "str", "options": "{any}"}, "AppVolume")),
        "composeVolumes": "{str}",
        "hostPaths": "{str}",
        "deployment": Obj(
            {"pool": "str", "pools": "[str]", "zone": "str", "zones": "[str]", "selectors": "{str}"},
            "AppDeployment",
        ),
        "networkPolicy": NETWORK_POLICY,
        "resources": "{str}",
        "settings": "{str}",
    },
    "AppSpec",
)
BOX_SPEC = Obj(
    {
        "component": "str",
        "image": "str",
        "command": "[str]",
        "args": "[str]",
        "ingress": Obj({}, "BoxIngress"),
        "networkPolicy": NETWORK_POLICY,
    },
    "BoxSpec",
)

SPECS: dict[str, Obj] = {
    "Defaults": DEFAULTS_SPEC,
    "Workspace": WORKSPACE_SPEC,
    "Provider": PROVIDER_SPEC,
    "Cluster": CLUSTER_SPEC,
    "App": APP_SPEC,
    "Box": BOX_SPEC,
}
KINDS: tuple[str, ...] = tuple(SPECS)
