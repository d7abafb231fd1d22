"""``admin``: create, read, update and delete resources in a database store (cli.md §10.12).

Resources are KOM documents kept whole: what ``create``/``update`` receive is
stored byte for byte and is what ``get -o yaml`` gives back.  Every write is
validated against the whole store first (Resource ID, parent, duplicates, Box
rules, the model checks), so the store never holds a set that KOM loading
would reject.  Updates and deletes carry the version they read (optimistic
concurrency, see :class:`~kompox.domain.ports.ResourceStore`).
"""

from __future__ import annotations

from dataclasses import dataclass

from kompox.domain.errors import ConfigError, NotFoundError, ValidationError
from kompox.domain.model import App, Box, Cluster, Provider, Workspace
from kompox.domain.ports import ResourceStore, StoredResource
from kompox.kom.convert import KomResources, convert_documents
from kompox.kom.document import KomDocument, load_documents
from kompox.kom.errors import raise_if
from kompox.kom.resource_id import KIND_DEFAULTS, KIND_TO_SHORT, PERSISTENT_KINDS, parent_id
from kompox.kom.validate import validate_documents

MAX_NAMES_SHOWN = 20
Model = Workspace | Provider | Cluster | App | Box


def _items(res: KomResources) -> list[Model]:
    return [*res.workspaces, *res.providers, *res.clusters, *res.apps, *res.boxes]


def _label(kind: str) -> str:
    return kind.lower()


def _names(ids: list[str]) -> str:
    shown = ids[:MAX_NAMES_SHOWN]
    more = len(ids) - len(shown)
    return ", ".join(shown) + (f" (+{more} more)" if more > 0 else "") if ids else "none"


def stored_label(row: StoredResource) -> str:
    return f"db:{row.id}"


def parse_document(kind: str, source: str, data: bytes) -> KomDocument:
    """Exactly one Kompox document of ``kind`` from one input (a file name or ``-``)."""
    loaded = load_documents(source, data)
    raise_if(f"invalid {_label(kind)} document", loaded.errors)
    docs = [d for d in loaded.documents if d.kind != KIND_DEFAULTS]
    if len(docs) != 1 or docs[0].kind != kind:
        found = ", ".join(f"{d.kind}/{d.name}" for d in docs) or "no Kompox document"
        raise ConfigError(
            f"expected exactly one {kind} document (apiVersion ops.kompox.dev/v1alpha1, kind {kind}), found {found}",
            file=source,
        )
    return docs[0]


def _stored_documents(rows: list[StoredResource]) -> list[KomDocument]:
    docs: list[KomDocument] = []
    errors: list[ValidationError] = []
    for row in rows:
        loaded = load_documents(stored_label(row), row.document)
        errors.extend(loaded.errors)
        docs.extend(loaded.documents)
    raise_if("stored resources are invalid", errors)
    return docs


def resources_from_rows(rows: list[StoredResource]) -> KomResources:
    """The domain models of every stored resource (the read side for the other commands)."""
    docs = _stored_documents(rows)
    batch = validate_documents(docs)
    raise_if("stored resources are invalid", batch.errors)
    resources, errors = convert_documents(batch.documents)
    raise_if("stored resources are invalid", errors)
    stamps = {row.id: row for row in rows}
    for item in _items(resources):
        row = stamps.get(item.id)
        if row is not None:
            item.created_at, item.updated_at = row.created_at, row.updated_at
    return resources


def model_of(row: StoredResource) -> Model:
    """The domain model of one stored resource, with the row's timestamps."""
    converted, errors = convert_documents(_stored_documents([row]))
    raise_if("stored resource is invalid", errors)
    for item in _items(converted):
        item.created_at, item.updated_at = row.created_at, row.updated_at
        return item
    raise NotFoundError(f"resource not found: {row.id}")


@dataclass
class DeleteResult:
    deleted: list[str]


class AdminResources:
    """The ``admin`` use cases over any :class:`ResourceStore`."""

    def __init__(self, store: ResourceStore) -> None:
        self.store = store

    def _check_kind(self, kind: str) -> None:
        if kind not in PERSISTENT_KINDS:
            raise ValidationError(f"unknown resource kind {kind!r} (allowed: {', '.join(PERSISTENT_KINDS)})")

    def list(self, kind: str) -> list[StoredResource]:
        self._check_kind(kind)
        return self.store.list(kind)

    def get(self, kind: str, id: str) -> StoredResource:
        self._check_kind(kind)
        try:
            row = self.store.get(id)
        except NotFoundError:
            row = None
        if row is None or row.kind != kind:
            existing = [r.id for r in self.store.list(kind)]
            raise NotFoundError(f"{_label(kind)} not found: {id} (existing {_label(kind)}s: {_names(existing)})")
        return row

    def _validate_with(self, doc: KomDocument, replacing: str = "") -> None:
        """Validate the store as it would be with ``doc`` added (or replacing ``replacing``)."""
        rows = [r for r in self.store.list() if r.id != replacing]
        docs = [*_stored_documents(rows), doc]
        batch = validate_documents(docs)
        raise_if(f"invalid {_label(doc.kind)} {doc.id}", batch.errors)
        _, errors = convert_documents([doc])
        raise_if(f"invalid {_label(doc.kind)} {doc.id}", errors)

    def create(self, kind: str, source: str, data: bytes) -> StoredResource:
        self._check_kind(kind)
        doc = parse_document(kind, source, data)
        try:
            self.store.get(doc.id)
        except NotFoundError:
            pass
        else:
            raise ValidationError(f"{_label(kind)} {doc.id} already exists (use update)", file=source)
        parent = parent_id(doc.id)
        if parent:
            try:
                self.store.get(parent)
            except NotFoundError:
                parent_kind = PERSISTENT_KINDS[PERSISTENT_KINDS.index(kind) - 1]
                existing = [r.id for r in self.store.list(parent_kind)]
                raise ValidationError(
                    f"parent {_label(parent_kind)} {parent} of {_label(kind)} {doc.id} does not exist "
                    f"(existing {_label(parent_kind)}s: {_names(existing)}); create it first",
                    file=source,
                ) from None
        self._validate_with(doc)
        return self.store.create(kind, doc.id, doc.name, parent, data)

    def update(self, kind: str, id: str, source: str, data: bytes) -> StoredResource:
        current = self.get(kind, id)
        doc = parse_document(kind, source, data)
        if doc.id != id:
            raise ValidationError(
                f"the document's Resource ID {doc.id} differs from {id} (a resource cannot be renamed; "
                "create the new one and delete the old one)",
                file=source,
            )
        self._validate_with(doc, replacing=id)
        return self.store.update(id, data, current.version)

    def delete(self, kind: str, id: str, *, cascade: bool = False) -> DeleteResult:
        """Delete one resource; one with children only with ``cascade`` (then the whole subtree, children first)."""
        row = self.get(kind, id)
        children = [r for r in self.store.list() if r.id.startswith(id + "/")]
        if children and not cascade:
            direct = [r.id for r in children if r.parent_id == id]
            raise ValidationError(
                f"{_label(kind)} {id} still has {len(children)} resource(s) below it: {_names(direct)}; "
                "delete them first or pass --cascade"
            )
        order = sorted(children, key=lambda r: (-KIND_DEPTH_OF[r.kind], r.id))
        victims = [*order, row]
        self.store.delete([(r.id, r.version) for r in victims])
        return DeleteResult(deleted=[r.id for r in victims])


KIND_DEPTH_OF: dict[str, int] = {kind: i for i, kind in enumerate(KIND_TO_SHORT)}
