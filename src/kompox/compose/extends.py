"""``extends``: a service inherits from another service of the same or another file.

Resolution is per document, after canonicalisation and before documents are
merged (as Docker Compose does per file).  Another file is read through the
injected reader, relative to the directory of the extending file, processed
the same way (interpolation, validation, canonical forms, its own
``extends``), and the relative paths of the inherited service (bind sources,
``env_file``, build context) are rebased onto the extending file's directory.
Cycles are detected across files.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any

from kompox.compose.merge import merge, strip
from kompox.domain.errors import ConfigError

# (file name, document) loader for another compose file, relative to the working dir.
DocumentLoader = Callable[[str], dict[str, Any]]


def _rebase(path: str, directory: str) -> str:
    if not directory or directory == "." or path.startswith(("/", "~")):
        return path
    return posixpath.normpath(posixpath.join(directory, path))


def rebase_service(service: dict[str, Any], directory: str) -> dict[str, Any]:
    result = dict(service)
    if isinstance(result.get("volumes"), list):
        result["volumes"] = [
            {**m, "source": _rebase(str(m["source"]), directory)}
            if isinstance(m, dict) and m.get("type") == "bind" and m.get("source") else m
            for m in result["volumes"]]
    if isinstance(result.get("env_file"), list):
        result["env_file"] = [{**e, "path": _rebase(str(e["path"]), directory)} for e in result["env_file"]]
    build = result.get("build")
    if isinstance(build, str):
        result["build"] = _rebase(build, directory)
    elif isinstance(build, dict) and isinstance(build.get("context"), str):
        result["build"] = {**build, "context": _rebase(build["context"], directory)}
    return result


class ExtendsResolver:
    """Resolves ``extends`` for every service of one document."""

    def __init__(self, file: str, load_other: DocumentLoader | None) -> None:
        self.file = file
        self.load_other = load_other
        self._other_docs: dict[str, dict[str, Any]] = {}

    def apply(self, document: dict[str, Any]) -> dict[str, Any]:
        services = document.get("services")
        if not isinstance(services, dict):
            return document
        resolved: dict[str, Any] = {}
        for name in services:
            resolved[name] = self._resolve(self.file, services, name, [])
        return {**document, "services": resolved}

    def _document(self, file: str) -> dict[str, Any]:
        if file not in self._other_docs:
            if self.load_other is None:
                raise ConfigError(f"extends: cannot read {file}: no local file access", file=self.file)
            self._other_docs[file] = self.load_other(file)
        return self._other_docs[file]

    def _resolve(self, file: str, services: dict[str, Any], name: str, stack: list[tuple[str, str]]) -> Any:
        if (file, name) in stack:
            chain = " -> ".join(f"{s} ({f})" for f, s in [*stack, (file, name)])
            raise ConfigError(f"circular extends: {chain}", file=self.file, field=f"services.{name}.extends")
        if name not in services:
            raise ConfigError(f'cannot extend service "{name}" in {file}: service not found', file=self.file,
                              field="extends")
        service = services[name]
        if not isinstance(service, dict) or not isinstance(service.get("extends"), dict):
            return service
        ext = strip(service["extends"])
        base_name = str(ext.get("service", ""))
        other = ext.get("file")
        stack = [*stack, (file, name)]
        if other:
            base_file = posixpath.normpath(posixpath.join(posixpath.dirname(file), str(other)))
            base_services = self._document(base_file).get("services") or {}
            base = self._resolve(base_file, base_services, base_name, stack)
            base = rebase_service(base, posixpath.dirname(str(other)))
        else:
            base = self._resolve(file, services, base_name, stack)
        own = {k: v for k, v in service.items() if k != "extends"}
        base = {k: v for k, v in base.items() if k != "extends"}
        merged: dict[str, Any] = merge(base, own, ("services", name))
        return merged
