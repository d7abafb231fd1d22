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


def test_yaml_round_trips_and_both_emitters_agree() -> None:
    import yaml

    objects = worked_example().objects
    text = to_yaml(objects)
    assert list(yaml.safe_load_all(text)) == objects
    assert to_yaml(objects, pure_python=True) == text
    tricky = [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "x"},
            "data": {
                "a": "yes",
                "b": "0o17",
                "c": "1e5",
                "d": "  lead\nx\n",
                "e": "tab\there",
                "f": "",
                "g": "trailing \nline",
                "h": "null",
                "i": "x: y",
                "j": "- z",
                "k": "\u0085\u007f",
                "l": "12:30",
            },
        }
    ]
    assert list(yaml.safe_load_all(to_yaml(tricky))) == tricky
    assert to_yaml(tricky, pure_python=True) == to_yaml(tricky)
    # quoted for Go (YAML 1.2) readers too, not only for YAML 1.1
    assert "b: '0o17'" in to_yaml(tricky) and "c: '1e5'" in to_yaml(tricky)
