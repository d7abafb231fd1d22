"""The compiled compose-spec check agrees with jsonschema and is generated from the bundled schema."""

from __future__ import annotations

import importlib.util
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompox.compose import schema_compiled
from kompox.compose.loader import parse_documents
from kompox.compose.validate import strip_tags
from kompox.domain.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = json.loads(resources.files("kompox.compose.schema").joinpath("compose-spec.json").read_text("utf-8"))
REFERENCE = jsonschema.Draft7Validator(SCHEMA, format_checker=None)


def compiled_valid(document: Any) -> bool:
    try:
        schema_compiled.validate_compose_spec_json(document)
    except schema_compiled.JsonSchemaValueException:
        return False
    return True


def test_generated_module_matches_the_bundled_schema() -> None:
    pytest.importorskip("fastjsonschema")
    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "generate_compose_schema_check.py")
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    expected = generator.generate()
    actual = (ROOT / "src" / "kompox" / "compose" / "schema_compiled.py").read_text(encoding="utf-8")
    assert actual == expected, "run scripts/generate_compose_schema_check.py"


def fixture_documents() -> list[Any]:
    documents = []
    for path in sorted(FIXTURES.glob("*/*.y*ml")):
        try:
            documents += [strip_tags(d) for d in parse_documents(path.read_text(encoding="utf-8"), path.name)]
        except ConfigError:  # YAML-level error fixtures never reach the schema
            continue
    return documents


def test_fixture_documents_get_the_same_verdict() -> None:
    documents = fixture_documents()
    assert len(documents) > 50
    verdicts = [(compiled_valid(d), REFERENCE.is_valid(d)) for d in documents]
    assert all(fast == ref for fast, ref in verdicts), [d for d, v in zip(documents, verdicts, strict=True)
                                                         if v[0] != v[1]]
    assert any(not ref for _, ref in verdicts) and any(ref for _, ref in verdicts)


SERVICE_KEYS = [*sorted(SCHEMA["definitions"]["service"]["properties"]), "x-ext", "bogus"]
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 70000), st.floats(allow_nan=False, allow_infinity=False),
              st.sampled_from(["", "80:80", "1.5", "nginx", "10s", "host", "rw", "always", "x-a", "a b"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["source", "target", "a", "x-y", "mode", "1"]), inner,
                                            max_size=3)),
    max_leaves=8,
)
services = st.dictionaries(st.sampled_from(SERVICE_KEYS), values, max_size=4)
documents = st.fixed_dictionaries(
    {"services": st.dictionaries(st.sampled_from(["web", "db", "bad name!"]), services, min_size=1, max_size=2)},
    optional={"volumes": st.dictionaries(st.sampled_from(["data", "x"]), st.one_of(st.none(), values), max_size=2),
              "name": values, "x-top": values, "networks": values},
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_compiled_check_never_accepts_what_jsonschema_refuses(document: dict[str, Any]) -> None:
    # the loader trusts "valid"; on "invalid" jsonschema decides and words the error, so only this direction
    # could change behaviour -- it is checked both ways to keep the two close
    assert compiled_valid(document) == REFERENCE.is_valid(document)
