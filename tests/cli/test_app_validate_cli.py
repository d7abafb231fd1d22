"""``kompoxops app validate`` end to end: the bundled examples and the KOM bad-input corpus."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from kompox.kube.convert.object_check import check_objects

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT / "tests" / "kom"))
from kom_corpus import case_names, prepare  # noqa: E402

K8S_VERSION = "1.33.0"
GOLDEN = ROOT / "tests" / "golden" / "examples"


def kompoxops(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KOMPOX_")}
    return subprocess.run(
        [sys.executable, "-m", "kompox.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**base, "KOMPOX_LOG_OUTPUT": "none", **(env or {})},
        timeout=120,
        check=False,
    )


@pytest.fixture
def example(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    dst = tmp_path / request.param
    shutil.copytree(EXAMPLES / request.param, dst, ignore=shutil.ignore_patterns("logs"))
    return dst


@pytest.mark.parametrize("example", ["gitea", "wordpress", "showcase"], indirect=True)
def test_examples_validate_to_schema_valid_deterministic_manifests(example: Path) -> None:
    first = kompoxops("-C", str(example), "app", "validate", "--out-manifest", "-")
    assert first.returncode == 0, first.stderr
    docs = [d for d in yaml.safe_load_all(first.stdout) if d]
    kinds = [d["kind"] for d in docs]
    assert kinds[:4] == ["Namespace", "ServiceAccount", "Role", "RoleBinding"]
    assert "Deployment" in kinds and "Ingress" in kinds
    for doc in docs:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
    assert [v.text() for v in check_objects(docs)] == []
    # volumes cannot be bound on k3s: warned, named, and no PV/PVC is emitted
    assert "unbound" in first.stderr and "PersistentVolume" not in kinds
    # on success one summary line on stderr (stdout stays the manifest): objects by kind, warnings printed
    counts: dict[str, int] = {}
    for kind in kinds:
        counts[kind] = counts.get(kind, 0) + 1
    warned = [line for line in first.stderr.splitlines() if line.startswith("Warning: ")]
    by_kind = ", ".join(f"{n} {k}" for k, n in counts.items())
    assert warned
    tail = f"{len(docs)} Kubernetes objects ({by_kind}), {len(warned)} warning{'s' if len(warned) > 1 else ''}"
    assert re.fullmatch(r"app validate: app [a-z0-9-]+ is valid: " + re.escape(tail), first.stderr.splitlines()[-1])
    again = kompoxops("-C", str(example), "app", "validate", "--out-manifest", "-")
    assert again.stdout == first.stdout
    golden = GOLDEN / f"{example.name}.yaml"
    if os.environ.get("KOMPOX_REGEN_GOLDEN") == "1":
        golden.write_text(first.stdout, encoding="utf-8")
    assert first.stdout == golden.read_text(encoding="utf-8"), f"manifest differs from {golden}"


@pytest.mark.parametrize("example", ["showcase"], indirect=True)
def test_showcase_objects_and_output_files(example: Path) -> None:
    out = example / "out"
    proc = kompoxops(
        "-C",
        str(example),
        "app",
        "validate",
        "--out-manifest",
        str(out / "manifest.yaml"),
        "--out-compose",
        str(out / "compose.yaml"),
    )
    assert proc.returncode == 0, proc.stderr
    docs = [d for d in yaml.safe_load_all((out / "manifest.yaml").read_text()) if d]
    names = {(d["kind"], d["metadata"]["name"]) for d in docs}
    assert ("ConfigMap", "shop-app--cfg-nginx-conf") in names
    assert ("Secret", "shop-app--sec-api-key") in names
    assert {("Secret", f"shop-app-{svc}-base") for svc in ("api", "db")} <= names
    assert ("Ingress", "shop-app-custom") in names and ("Ingress", "shop-app-default") in names
    custom = next(d for d in docs if d["metadata"]["name"] == "shop-app-custom")
    assert sorted(r["host"] for r in custom["spec"]["rules"]) == ["admin.shop.example.org", "shop.example.org"]
    compose = (out / "compose.yaml").read_text()
    assert compose.startswith("---\n") and "nginx-conf" in compose
    assert oct((out / "manifest.yaml").stat().st_mode & 0o777) == "0o644"


@pytest.mark.parametrize("example", ["gitea"], indirect=True)
def test_converter_errors_fail_validate_and_write_nothing(example: Path) -> None:
    compose = example / "compose.yml"
    compose.write_text(compose.read_text().replace('"2222:22"', '"3000:22"'))  # host port 3000 twice
    out = example / "m.yaml"
    proc = kompoxops("-C", str(example), "app", "validate", "--out-manifest", str(out))
    assert proc.returncode == 3
    assert "compose conversion failed" in proc.stderr and "3000" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert [line for line in proc.stderr.splitlines() if line.startswith("Error:")] == [proc.stderr.splitlines()[-1]]
    assert not out.exists()


@pytest.mark.parametrize("case", case_names())
def test_bad_kom_fails_with_one_error_line_naming_the_file(case: str, tmp_path: Path) -> None:
    c = prepare(case, tmp_path)
    args: list[str] = []
    for path in c.kom_paths:
        args += ["--kom-path", path]
    if c.kom_app is not None:
        args += ["--kom-app", c.kom_app]
    proc = kompoxops(*args, "app", "validate", cwd=c.root, env=c.env)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, proc.stderr
    assert all(fragment in errors[0] for fragment in c.expected), (errors[0], c.expected)
    assert Path(c.file).name in errors[0]
