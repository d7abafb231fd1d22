"""A missing parent names the kind to add, its Resource ID, and what scaffolds one (issue #17)."""

from __future__ import annotations

import pytest

from kompox.domain.errors import ValidationError
from kompox.kom.document import load_documents
from kompox.kom.validate import validate_documents


def _doc(kind: str, rid: str, spec: str = "{}") -> str:
    name = rid.rsplit("/", 1)[-1]
    return (
        f"apiVersion: ops.kompox.dev/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}\n"
        f"  annotations:\n    ops.kompox.dev/id: {rid}\nspec: {spec}\n"
    )


WS = _doc("Workspace", "/ws/w")
PRV = _doc("Provider", "/ws/w/prv/p", "{driver: k3s}")
CLS = _doc("Cluster", "/ws/w/prv/p/cls/c")
APP = _doc("App", "/ws/w/prv/p/cls/c/app/a", "{compose: 'services: {web: {image: nginx}}'}")
BOX = _doc("Box", "/ws/w/prv/p/cls/c/app/a/box/b", "{image: busybox}")
INFRA = "kompoxops init --driver k3s|aks in an empty directory scaffolds a Workspace, Provider and Cluster"


def _errors(*docs: str) -> list[str]:
    loaded = load_documents("kom.yml", "---\n".join(docs).encode())
    assert loaded.errors == []
    result = validate_documents(loaded.documents)
    return [e.located() if isinstance(e, ValidationError) else str(e) for e in result.errors]


@pytest.mark.parametrize(
    ("docs", "child", "parent", "kind", "where", "scaffold"),
    [
        ((PRV,), "provider", "/ws/w", "Workspace", ".kompox/kom/", INFRA),
        ((WS, CLS), "cluster", "/ws/w/prv/p", "Provider", ".kompox/kom/", INFRA),
        ((WS, PRV, APP), "app", "/ws/w/prv/p/cls/c", "Cluster", ".kompox/kom/", INFRA),
        (
            (WS, PRV, CLS, BOX),
            "box",
            "/ws/w/prv/p/cls/c/app/a",
            "App",
            "kompoxapp.yml",
            "kompoxops init next to a compose file scaffolds its App",
        ),
    ],
    ids=["workspace", "provider", "cluster", "app"],
)
def test_missing_parent_names_kind_id_and_scaffold(
    docs: tuple[str, ...], child: str, parent: str, kind: str, where: str, scaffold: str
) -> None:
    (error,) = _errors(*docs)
    assert f'{child} "' in error
    assert (
        f'validation error: parent "{parent}" does not exist: '
        f"add a {kind} resource with ops.kompox.dev/id {parent} (e.g. in {where}); {scaffold}"
    ) in error
    assert "existing" not in error  # no resource of that kind to point at


def test_missing_parent_lists_the_existing_ones_of_its_kind() -> None:
    other = _doc("Cluster", "/ws/w/prv/p/cls/other")
    typo = _doc("App", "/ws/w/prv/p/cls/c/app/a", "{compose: 'services: {web: {image: nginx}}'}")
    (error,) = _errors(WS, PRV, other, _doc("Cluster", "/ws/w/prv/p/cls/b"), typo)
    assert error.endswith("; or use an existing Cluster: /ws/w/prv/p/cls/b, /ws/w/prv/p/cls/other")


def test_many_existing_ones_are_cut_after_five() -> None:
    clusters = [_doc("Cluster", f"/ws/w/prv/p/cls/k{i}") for i in range(7)]
    (error,) = _errors(WS, PRV, *clusters, APP)
    assert error.endswith(
        "; or use an existing Cluster: " + ", ".join(f"/ws/w/prv/p/cls/k{i}" for i in range(5)) + " (+2 more)"
    )


def test_a_parent_that_is_defined_but_invalid_points_at_its_own_error() -> None:
    errors = _errors(WS, PRV.replace("/ws/w/prv/p", "/ws/x/prv/p"), _doc("Cluster", "/ws/x/prv/p/cls/c"))
    assert len(errors) == 2
    assert 'provider "/ws/x/prv/p" validation error: parent "/ws/x" does not exist: add a Workspace' in errors[0]
    assert errors[1].endswith('parent "/ws/x/prv/p" does not exist (it is defined but invalid: see its own error)')
