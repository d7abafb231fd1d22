"""Kubeconfig documents as plain dicts: file lists, normalisation, merging (kube-and-ops.md §16.1).

Pure apart from reading the certificate files a kubeconfig refers to, which
goes through an injectable ``read`` callable.  Used by the K3s driver (the
kubeconfig of an existing cluster, from files) and by ``cluster kubeconfig``
(normalise a driver's kubeconfig, merge it into the user's file).

* :func:`merge_documents` — several kubeconfig files into one, kubectl's
  rules: the first file defining a name wins, the first non-empty
  ``current-context`` wins; relative paths are made absolute per file first.
* :func:`minify` — only one context with its cluster and user, referenced
  certificate files inlined as ``*-data``, ``current-context`` set.
* :func:`normalize` — :func:`minify`, then optional namespace, then the
  context, cluster and user renamed to one name.
* :func:`merge_entry` — add a normalised entry to a target document, suffixing
  colliding names (``-1``, ``-2`` …) or replacing them with ``force``.
"""

from __future__ import annotations

import base64
import copy
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kompox.domain.errors import ValidationError
from kompox.kube.kubeconfig import select_context

Doc = dict[str, Any]
Reader = Callable[[str], bytes]

SECTIONS = (("clusters", "cluster"), ("contexts", "context"), ("users", "user"))
# (section entry key, path key, inline data key or "" when the path stays a path)
PATH_KEYS = (
    ("cluster", "certificate-authority", "certificate-authority-data"),
    ("user", "client-certificate", "client-certificate-data"),
    ("user", "client-key", "client-key-data"),
    ("user", "tokenFile", ""),
)
TOP_ORDER = ("apiVersion", "kind", "clusters", "contexts", "current-context", "preferences", "users")


def read_file(path: str) -> bytes:
    return Path(path).read_bytes()


def parse(data: bytes, source: str = "kubeconfig") -> Doc:
    """Parse kubeconfig bytes; empty input is an empty document, anything else must be a mapping."""
    if not data or not data.strip():
        return {}
    try:
        doc = yaml.safe_load(data)
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        raise ValidationError(f"{source} is not valid YAML: {first}") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise ValidationError(f"{source} is not a kubeconfig mapping")
    return doc


def _entries(doc: Doc, section: str) -> list[Doc]:
    items = doc.get(section) or []
    return [e for e in items if isinstance(e, dict)] if isinstance(items, list) else []


def _named(doc: Doc, section: str, name: str) -> Doc | None:
    for entry in _entries(doc, section):
        if entry.get("name") == name:
            return entry
    return None


def absolutize_paths(doc: Doc, base_dir: str) -> Doc:
    """A copy whose relative certificate/key/token file paths are resolved against ``base_dir``."""
    out = copy.deepcopy(doc)
    for section, key in (("clusters", "cluster"), ("users", "user")):
        for entry in _entries(out, section):
            body = entry.get(key)
            if not isinstance(body, dict):
                continue
            for kind, path_key, _ in PATH_KEYS:
                value = body.get(path_key)
                if kind == key and isinstance(value, str) and value and not Path(value).is_absolute():
                    body[path_key] = os.path.normpath(os.path.join(base_dir, value))  # noqa: PTH118
    return out


def merge_documents(docs: Sequence[Doc]) -> Doc:
    """kubectl's merge of a ``KUBECONFIG`` file list: first definition of a name wins."""
    merged: Doc = {"apiVersion": "v1", "kind": "Config"}
    for section, _ in SECTIONS:
        seen: set[str] = set()
        items: list[Doc] = []
        for doc in docs:
            for entry in _entries(doc, section):
                name = str(entry.get("name", ""))
                if name and name not in seen:
                    seen.add(name)
                    items.append(copy.deepcopy(entry))
        merged[section] = items
    merged["current-context"] = next((str(d["current-context"]) for d in docs if d.get("current-context")), "")
    return merged


def _inline(body: Doc, kind: str, what: str, read: Reader) -> None:
    for section, path_key, data_key in PATH_KEYS:
        if section != kind or not data_key:
            continue
        path = body.pop(path_key, None)
        if not path or body.get(data_key):
            continue
        try:
            content = read(str(path))
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise ValidationError(f"kubeconfig {what} {path_key}: cannot read {path}: {reason}") from None
        body[data_key] = base64.standard_b64encode(content).decode("ascii")


def minify(doc: Doc, context: str | None = None, *, read: Reader = read_file) -> Doc:
    """Only the chosen context (explicit, else current, else the only one), inlined and made current."""
    name = select_context(doc, context)
    ctx = copy.deepcopy(_named(doc, "contexts", name) or {})
    refs = ctx.get("context") if isinstance(ctx.get("context"), dict) else {}
    assert isinstance(refs, dict)
    cluster_name, user_name = str(refs.get("cluster", "")), str(refs.get("user", ""))
    cluster = copy.deepcopy(_named(doc, "clusters", cluster_name))
    if cluster is None or not isinstance(cluster.get("cluster"), dict):
        raise ValidationError(f"kubeconfig context {name!r} refers to missing cluster {cluster_name!r}")
    user: Doc | None = copy.deepcopy(_named(doc, "users", user_name)) if user_name else {"name": "", "user": {}}
    if user is None:
        raise ValidationError(f"kubeconfig context {name!r} refers to missing user {user_name!r}")
    if not isinstance(user.get("user"), dict):
        user["user"] = {}
    _inline(cluster["cluster"], "cluster", f"cluster {cluster_name!r}", read)
    _inline(user["user"], "user", f"user {user_name!r}", read)
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [cluster],
        "contexts": [ctx],
        "current-context": name,
        "preferences": {},
        "users": [user],
    }


def rename(doc: Doc, name: str) -> Doc:
    """A minified document whose context, cluster and user are all called ``name``."""
    out = copy.deepcopy(doc)
    (cluster,), (ctx,), (user,) = out["clusters"], out["contexts"], out["users"]
    cluster["name"] = user["name"] = ctx["name"] = name
    ctx["context"]["cluster"] = name
    ctx["context"]["user"] = name
    out["current-context"] = name
    return out


def normalize(data: bytes, name: str, *, namespace: str = "", read: Reader = read_file) -> Doc:
    """``cluster kubeconfig`` step 3: minify the current context, set the namespace, rename to ``name``."""
    doc = minify(parse(data), read=read)
    if namespace:
        doc["contexts"][0]["context"]["namespace"] = namespace
    return rename(doc, name)


@dataclass
class MergeResult:
    """A merged kubeconfig: the context, cluster and user names written, whether current, the entries added/updated."""

    doc: Doc
    context: str
    cluster: str
    user: str
    current: bool
    changes: int = 3

    def summary(self) -> str:
        current = "true" if self.current else "false"
        return f"dry-run: will add/update {self.changes} entry(ies); context={self.context} current={current}"


def _free_name(doc: Doc, section: str, name: str) -> str:
    taken = {str(e.get("name", "")) for e in _entries(doc, section)}
    if name not in taken:
        return name
    n = 1
    while f"{name}-{n}" in taken:
        n += 1
    return f"{name}-{n}"


def _put(doc: Doc, section: str, entry: Doc) -> None:
    """Replace the same-named entry in place, or append."""
    items = _entries(doc, section)
    for i, existing in enumerate(items):
        if existing.get("name") == entry["name"]:
            items[i] = entry
            break
    else:
        items.append(entry)
    doc[section] = items


def merge_entry(target: Doc, entry: Doc, *, force: bool = False, set_current: bool = False) -> MergeResult:
    """Add the (normalised) entry's cluster, user and context to a copy of ``target``."""
    out = copy.deepcopy(target) if target else {}
    out.setdefault("apiVersion", "v1")
    out.setdefault("kind", "Config")
    (cluster,), (ctx,), (user,) = entry["clusters"], entry["contexts"], entry["users"]
    names = {}
    for section, item in (("clusters", cluster), ("contexts", ctx), ("users", user)):
        name = str(item["name"])
        names[section] = name if force else _free_name(out, section, name)
    new_cluster = {**copy.deepcopy(cluster), "name": names["clusters"]}
    new_user = {**copy.deepcopy(user), "name": names["users"]}
    new_ctx = copy.deepcopy(ctx)
    new_ctx["name"] = names["contexts"]
    new_ctx["context"] = {**new_ctx.get("context", {}), "cluster": names["clusters"], "user": names["users"]}
    _put(out, "clusters", new_cluster)
    _put(out, "users", new_user)
    _put(out, "contexts", new_ctx)
    make_current = set_current or not out.get("current-context")
    if make_current:
        out["current-context"] = names["contexts"]
    return MergeResult(out, names["contexts"], names["clusters"], names["users"], make_current)


def ordered(doc: Doc) -> Doc:
    """Top-level keys in kubectl's order, unknown keys after them."""
    out = {k: doc[k] for k in TOP_ORDER if k in doc}
    out.update({k: v for k, v in doc.items() if k not in out})
    return out


def dump_yaml(doc: Doc) -> str:
    return str(yaml.safe_dump(ordered(doc), sort_keys=False, default_flow_style=False))


def dump_json(doc: Doc) -> str:
    return json.dumps(ordered(doc), indent=2) + "\n"
