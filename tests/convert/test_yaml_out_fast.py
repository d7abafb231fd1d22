"""The one-pass emitter writes exactly what libyaml writes (``yaml.dump`` with the project's dumper)."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompox.kube.convert import yaml_out
from kompox.kube.convert.yaml_out import to_yaml

# characters that exercise every quoting rule: indicators, spaces, breaks, quotes, non-ASCII and non-printable
ALPHABET = "ab01:-#,[]{}&*!|>'\"%@` ?./=+_~\\\t\n\r\x85\u2028\xa0\ufeff\x7f\x00éあ"
WORDS = ["yes", "no", "on", "off", "y", "n", "true", "null", "~", "0o17", "0x1F", "1e5", "1_000", "12:30",
         "2001-12-14", "<<", "=", ".inf", "-.5", "+1", "0777", "---", "...", "- x", "a: b", "a #b", "1.0",
         "metadata", "name", "apiVersion", "kind", "namespace", " ", "", "x\n", "\n", "a\n\nb\n\n"]
strings = st.one_of(st.text(ALPHABET, max_size=12), st.sampled_from(WORDS))
scalars = st.one_of(strings, st.integers(-(2**63), 2**63 - 1), st.booleans(), st.none())
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(strings, inner, max_size=4)),
    max_leaves=25,
)


def reference(objects: list[dict[str, Any]]) -> str:
    return "".join(yaml_out._reference(obj, yaml_out._Dumper) for obj in objects)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(strings, trees, min_size=1, max_size=6), min_size=1, max_size=3))
def test_fast_emitter_equals_libyaml(objects: list[dict[str, Any]]) -> None:
    assert to_yaml(objects) == reference(objects)


def test_fast_emitter_covers_manifest_shapes_without_falling_back(monkeypatch: Any) -> None:
    def refuse(obj: Any, dumper: Any) -> str:
        raise AssertionError("fell back to PyYAML")

    monkeypatch.setattr(yaml_out, "_reference", refuse)
    objects = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "labels": {"app": "x"}},
                "data": {"a.conf": "x = 1\n", "b": "yes", "c": "0o17", "d": ""},
                "spec": {"containers": [{"name": "c", "args": ["--id", "1"], "ports": [{"containerPort": 80}]}],
                         "empty": [], "none": {}}}]
    text = to_yaml(objects)
    monkeypatch.undo()
    assert text == reference(objects)
    assert list(yaml.safe_load_all(text)) == objects


def test_unusual_values_fall_back_to_pyyaml() -> None:
    objects = [{"apiVersion": "v1", "kind": "K", "f": 1.5, "k": {"x" * 200: 1}}]
    assert to_yaml(objects) == reference(objects)
