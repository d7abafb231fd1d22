"""Same input → byte-identical YAML; service/config order in the input does not matter."""

from __future__ import annotations

from kompox.compose.model import Project
from kompox.kube.convert import convert, to_yaml

from .helpers import bind, context, worked_example, worked_example_app, worked_example_files, worked_example_project


def test_repeated_conversion_is_byte_identical() -> None:
    first = to_yaml(worked_example().objects)
    for _ in range(3):
        assert to_yaml(worked_example().objects) == first


def test_input_mapping_order_does_not_change_output() -> None:
    proj = worked_example_project()
    reversed_proj = Project(
        name=proj.name,
        working_dir=proj.working_dir,
        services=dict(reversed(list(proj.services.items()))),
        configs=dict(reversed(list(proj.configs.items()))),
        secrets=dict(reversed(list(proj.secrets.items()))),
    )
    app = worked_example_app()
    ws, prv, cls, _ = context(app, cert_resolver="staging")
    out = convert(ws, prv, cls, app, reversed_proj, bind(app), files=worked_example_files())
    assert to_yaml(out.objects) == to_yaml(worked_example().objects)


def test_yaml_key_order_and_quoting() -> None:
    text = to_yaml(
        [{"spec": {"b": 1, "a": "true", "name": "x"}, "metadata": {"name": "n"}, "kind": "K", "apiVersion": "v1"}]
    )
    assert text == "---\napiVersion: v1\nkind: K\nmetadata:\n  name: n\nspec:\n  name: x\n  a: 'true'\n  b: 1\n"
    assert to_yaml([]) == ""
    multi = to_yaml([{"apiVersion": "v1", "kind": "K", "data": {"k": "l1\nl2\n"}}])
    assert "k: |\n    l1\n    l2\n" in multi
