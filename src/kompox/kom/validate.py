"""Batch validation of all KOM documents together (kom.md §5.7, all-or-nothing)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kompox.domain.errors import ValidationError
from kompox.domain.naming import dns1123_label_errors
from kompox.kom.document import ID_FIELD, KomDocument
from kompox.kom.resource_id import (
    KIND_APP,
    KIND_BOX,
    KIND_CLUSTER,
    KIND_DEPTH,
    KIND_PROVIDER,
    KIND_WORKSPACE,
    ResourceIDError,
    parent_id,
    parse_resource_id,
    quote,
)
from kompox.kom.yaml_stream import Path


@dataclass
class BatchResult:
    """The KOM documents of one load, in kind order, with every error found."""

    documents: list[KomDocument] = field(default_factory=list)
    errors: list[ValidationError] = field(default_factory=list)


def sort_documents(documents: list[KomDocument]) -> list[KomDocument]:
    """Kind rank (Workspace … Box), then Resource ID in byte order; stable for duplicates."""
    return sorted(documents, key=lambda d: (KIND_DEPTH[d.kind], d.id.encode("utf-8")))


def _box_problem(doc: KomDocument) -> tuple[str, Path] | None:
    name = doc.name
    problems = dns1123_label_errors(name)
    if problems:
        return f"metadata.name {quote(name)} is not a valid DNS-1123 label: {', '.join(problems)}", ("metadata", "name")
    if name == "app":
        return 'metadata.name "app" is reserved and cannot be used for Box', ("metadata", "name")
    spec = doc.spec
    component = spec.get("component", "")
    if component and component != name:
        return f"spec.component {quote(component)} must match metadata.name {quote(name)}", ("spec", "component")
    if spec.get("image"):
        if "ingress" in spec:
            return "Standalone Box must not specify spec.ingress (reserved for future use)", ("spec", "ingress")
        return None
    if spec.get("command"):
        return "Compose Box must not specify spec.command", ("spec", "command")
    if spec.get("args"):
        return "Compose Box must not specify spec.args", ("spec", "args")
    if "ingress" in spec:
        return "Compose Box must not specify spec.ingress", ("spec", "ingress")
    return None


# Where a resource of each parent kind usually lives, and what scaffolds one:
# `init` in an empty directory writes a Workspace, Provider and Cluster (and a
# sample App); `init` next to a compose file writes its App.
_INIT_INFRA = "kompoxops init --driver k3s|aks in an empty directory scaffolds a Workspace, Provider and Cluster"
_LISTED = 5  # existing resources of the missing kind named in the hint
_SCAFFOLDS = {
    KIND_WORKSPACE: (".kompox/kom/", _INIT_INFRA),
    KIND_PROVIDER: (".kompox/kom/", _INIT_INFRA),
    KIND_CLUSTER: (".kompox/kom/", _INIT_INFRA),
    KIND_APP: ("kompoxapp.yml", "kompoxops init next to a compose file scaffolds its App"),
}


def missing_parent_hint(parent: str, defined: Mapping[str, object], accepted: Mapping[str, object]) -> str:
    """What to do about a missing parent: the kind to add, where, what scaffolds one, and the ones there are.

    Upstream's message ends at "does not exist"; this text is appended to it.
    A parent that is defined but was refused gets a pointer to its own error.
    """
    if parent in defined:
        return " (it is defined but invalid: see its own error)"
    try:
        kind = parse_resource_id(parent).kind
    except ResourceIDError:
        return ""
    where, scaffold = _SCAFFOLDS[kind]
    hint = f": add a {kind} resource with ops.kompox.dev/id {parent} (e.g. in {where}); {scaffold}"
    same_kind = sorted(rid for rid in accepted if rid.count("/") == parent.count("/"))
    if same_kind:
        more = len(same_kind) - _LISTED
        shown = ", ".join(same_kind[:_LISTED]) + (f" (+{more} more)" if more > 0 else "")
        hint += f"; or use an existing {kind}: {shown}"
    return hint


def validate_documents(documents: list[KomDocument]) -> BatchResult:
    """Check depth, duplicates, parents and Box rules; returns the sorted list and every error."""
    result = BatchResult(documents=sort_documents(documents))
    accepted: dict[str, int] = {}
    first_doc: dict[str, tuple[int, KomDocument]] = {}

    def fail(doc: KomDocument, message: str, path: Path = ID_FIELD) -> None:
        result.errors.append(doc.error(f"{doc.kind.lower()} {quote(doc.id)} validation error: {message}", path))

    for position, doc in enumerate(result.documents):
        depth = KIND_DEPTH[doc.kind]
        pairs = len(doc.rid.pairs) if doc.rid is not None else 0
        if pairs != depth:
            fail(doc, f"kind {doc.kind} expects {depth} kind/name pairs but Resource ID has {pairs}")
            continue
        if doc.id in first_doc:
            first_pos, first = first_doc[doc.id]
            fail(
                doc,
                f"duplicate Resource ID, already defined at document {first_pos} "
                f"(first defined in {first.path} document {first.index})",
            )
            continue
        first_doc[doc.id] = (position, doc)
        if doc.kind != KIND_WORKSPACE:
            parent = parent_id(doc.id)
            if parent not in accepted:
                fail(doc, f"parent {quote(parent)} does not exist{missing_parent_hint(parent, first_doc, accepted)}")
                continue
        if doc.kind == KIND_BOX:
            problem = _box_problem(doc)
            if problem is not None:
                fail(doc, problem[0], problem[1])
                continue
        accepted[doc.id] = position
    return result
