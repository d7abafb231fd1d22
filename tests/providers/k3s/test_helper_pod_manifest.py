"""The helper pod and the record ConfigMap are valid Kubernetes objects, and say what they do."""

from __future__ import annotations

from datetime import UTC, datetime

import kubernetes_validate

from kompox.kube.convert.object_check import check_objects
from kompox.providers.k3s.helper_pod import HelperSettings, pod_manifest
from kompox.providers.k3s.localpath_records import KIND_SNAPSHOT, Record, from_config_map, to_config_map
from kompox.providers.k3s.localpath_script import SCRIPT

K8S_VERSION = "1.33.0"


def test_helper_pod_is_valid_pinned_bounded_and_runs_the_script() -> None:
    settings = HelperSettings(namespace="kompox-volumes", image="busybox:1.36", timeout=600)
    pod = pod_manifest("kompox-localpath-create-x", settings, "node-a", "/var/lib/kompox/volumes", "create", ["a/b"])
    kubernetes_validate.validate(pod, K8S_VERSION, strict=True)
    assert [v.text() for v in check_objects([pod])] == []
    spec = pod["spec"]
    assert spec["restartPolicy"] == "Never" and spec["activeDeadlineSeconds"] == 600
    terms = spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert terms == [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-a"]}]}]
    (container,) = spec["containers"]
    assert container["image"] == "busybox:1.36"
    assert container["command"] == ["sh", "-c", SCRIPT, "kompox-helper", "create", "a/b"]
    assert spec["volumes"] == [
        {"name": "base", "hostPath": {"path": "/var/lib/kompox/volumes", "type": "DirectoryOrCreate"}}
    ]
    assert spec["automountServiceAccountToken"] is False


def test_record_round_trips_through_its_config_map() -> None:
    record = Record(
        kind=KIND_SNAPSHOT,
        app_id="4z3dmr",
        volume="db",
        name="before-upgrade",
        node="node-a",
        hostname="node-a",
        base="/var/lib/kompox/volumes",
        rel="k4x-63jwwu-app1-4z3dmr/db/snapshots/before-upgrade.tar",
        created_at=datetime(2026, 3, 1, 12, 0, 1, 250000, tzinfo=UTC),
        size=10240,
        state="ready",
        source="localpath://node-a/var/lib/kompox/volumes/k4x-63jwwu-app1-4z3dmr/db/disks/d1",
        sha256="ab" * 32,
    )
    cm = to_config_map(record, "kompox-volumes")
    kubernetes_validate.validate(cm, K8S_VERSION, strict=True)
    assert cm["metadata"]["name"] == "snapshot-4z3dmr-db-before-upgrade"
    assert from_config_map(cm) == record
