"""Issue #20: compose files as people write them are converted, or refused with a message that says what to do.

One test per pattern of the issue's problem list, on the corpus projects
under ``tests/convert/corpus`` (written for these tests).  Every manifest
produced is checked with kubernetes-validate in strict mode and with the
project's object validator (:mod:`kompox.kube.convert.object_check`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kompox.kube.convert import ConversionError
from kompox.kube.convert.object_check import check_objects

from .helpers import k8s_validate as _schema_validate
from .realworld import app_for, convert_dir, corpus_dir, load


def k8s_validate(objects: list[dict]) -> None:  # type: ignore[type-arg]
    """kubernetes-validate (strict) and the project's object validator (API server value rules)."""
    _schema_validate(objects)
    assert [v.text() for v in check_objects(objects)] == []


def _containers(objects: list[dict]) -> dict[str, dict]:  # type: ignore[type-arg]
    deployment = next(o for o in objects if o["kind"] == "Deployment")
    return {c["name"]: c for c in deployment["spec"]["template"]["spec"]["containers"]}


def test_build_only_service_is_an_error_naming_service_and_fix(tmp_path: Path) -> None:
    root = corpus_dir("build-only", tmp_path)
    with pytest.raises(ConversionError) as info:
        convert_dir(root, app_for(root))
    message = info.value.message
    assert message.startswith("service api has build: but no image:")
    assert "add image: <registry>/<name>:<tag>" in message and "cluster can pull from" in message
    assert "worker" not in message  # build + image is fine


def test_build_with_image_converts_to_that_image(tmp_path: Path) -> None:
    root = corpus_dir("build-only", tmp_path)
    text = (root / "compose.yml").read_text().replace("build: ./api", "build: ./api\n    image: r.example.com/api:1")
    (root / "compose.yml").write_text(text)
    objects = convert_dir(root, app_for(root)).objects
    k8s_validate(objects)
    assert {n: c["image"] for n, c in _containers(objects).items()} == {
        "api": "r.example.com/api:1",
        "worker": "registry.example.com/shop/worker:2.1",
    }


def test_dotenv_duplicates_and_indented_env_file_comments(tmp_path: Path) -> None:
    root = corpus_dir("dotenv-env-files", tmp_path)
    project = load(root)
    assert project.warnings == ['The "SMTP_HOST" variable is not set. Defaulting to a blank string.']
    objects = convert_dir(root, app_for(root)).objects
    k8s_validate(objects)
    app = _containers(objects)["app"]
    assert app["image"] == "ghcr.io/example/notes:3.2.1"
    assert app["env"] == [
        {"name": "FEATURE_X", "value": "on"},
        {"name": "LOG_LEVEL", "value": "info"},
        {"name": "SITE_URL", "value": "https://notes.example.org"},
        {"name": "SMTP_HOST", "value": ""},
    ]
    base = next(o for o in objects if o["kind"] == "Secret" and o["metadata"]["name"] == "app1-app-app-base")
    assert sorted(base["data"]) == ["DB_HOST", "DB_PORT"]


def _pod(objects: list[dict]) -> dict:  # type: ignore[type-arg]
    return next(o for o in objects if o["kind"] == "Deployment")["spec"]["template"]["spec"]  # type: ignore[no-any-return]


def test_anonymous_tmpfs_and_shm_volumes_become_empty_dirs(tmp_path: Path) -> None:
    root = corpus_dir("node-scratch-volumes", tmp_path)
    conversion = convert_dir(root, app_for(root, ["data"]))
    k8s_validate(conversion.objects)
    pod = _pod(conversion.objects)
    assert pod["volumes"][1:] == [
        {"name": "anon-1", "emptyDir": {}},
        {"name": "tmpfs-1", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
        {"name": "tmpfs-2", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
        {"name": "shm-1", "emptyDir": {"medium": "Memory", "sizeLimit": "256Mi"}},
    ]
    assert pod["containers"][0]["volumeMounts"] == [
        {"name": "data", "mountPath": "/app/src", "subPath": "src"},
        {"name": "anon-1", "mountPath": "/app/node_modules"},
        {"name": "tmpfs-1", "mountPath": "/app/.cache"},
        {"name": "tmpfs-2", "mountPath": "/tmp"},
        {"name": "shm-1", "mountPath": "/dev/shm"},
    ]
    assert pod["initContainers"][0]["command"][2] == "mkdir -m 1777 -p /work/data/src"
    assert conversion.warnings == [
        "service web: anonymous volume /app/node_modules becomes an emptyDir; its content is not kept when "
        "the pod is replaced (declare a named volume to keep it)"
    ]


def test_snake_case_named_volumes_map_by_normalisation_or_explicitly(tmp_path: Path) -> None:
    root = corpus_dir("named-volumes", tmp_path)
    volumes = ["db-data", "prom-data", "monitoring"]
    app = app_for(root, volumes, compose_volumes={"grafana_storage": "monitoring/grafana"})
    objects = convert_dir(root, app).objects
    k8s_validate(objects)
    mounts = {c["name"]: c["volumeMounts"] for c in _pod(objects)["containers"]}
    assert mounts == {
        "db": [{"name": "db-data", "mountPath": "/var/lib/postgresql/data"}],
        "grafana": [{"name": "monitoring", "mountPath": "/var/lib/grafana", "subPath": "grafana"}],
        "prometheus": [{"name": "prom-data", "mountPath": "/prometheus"}],
    }


def test_named_volume_not_in_app_names_what_to_add(tmp_path: Path) -> None:
    root = corpus_dir("named-volumes", tmp_path)
    with pytest.raises(ConversionError) as info:
        convert_dir(root, app_for(root, ["db-data", "prom-data"]))
    assert info.value.message == (
        "named volume 'grafana_storage' referenced by 'grafana_storage' is not defined in app volumes "
        '(add App volume "grafana-storage" to spec.volumes, or map "grafana_storage" in spec.composeVolumes)'
    )


def test_two_compose_volume_names_normalising_to_one_are_an_error(tmp_path: Path) -> None:
    root = corpus_dir("named-volumes", tmp_path)
    text = (root / "compose.yml").read_text().replace("prom_data:/prometheus", "db-data:/prometheus")
    (root / "compose.yml").write_text(text + "  db-data:\n")
    with pytest.raises(ConversionError, match='compose volumes "db-data" and "db_data" both normalise to "db-data"'):
        convert_dir(root, app_for(root, ["db-data", "prom-data", "grafana-storage"]))
    app = app_for(root, ["db-data", "db2", "grafana-storage"], compose_volumes={"db_data": "db2"})
    k8s_validate(convert_dir(root, app).objects)  # an explicit mapping resolves it


def test_single_file_binds_become_read_only_configmap_and_secret_files(tmp_path: Path) -> None:
    from kompox.kube.podhash import hash_index, pod_content_hash

    root = corpus_dir("single-file-binds", tmp_path)
    objects = convert_dir(root, app_for(root, ["default"])).objects
    k8s_validate(objects)
    by_kind = {(o["kind"], o["metadata"]["name"]): o for o in objects}
    config_maps = [n for k, n in by_kind if k == "ConfigMap"]
    secrets = [n for k, n in by_kind if k == "Secret" and "--sec-bind-" in n]
    assert len(config_maps) == 1 and config_maps[0].startswith("app1-app--cfg-bind-nginx-nginx-conf-")
    assert len(secrets) == 1 and secrets[0].startswith("app1-app--sec-bind-secrets-htpasswd-")
    conf = by_kind[("ConfigMap", config_maps[0])]
    assert conf["data"] == {"nginx.conf": (root / "nginx" / "nginx.conf").read_text()}
    assert "kompox.dev/compose-content-hash" in conf["metadata"]["annotations"]
    pod = _pod(objects)
    mounts = {c["name"]: c["volumeMounts"] for c in pod["containers"]}
    cfg_volume = "cfg-" + config_maps[0].split("--cfg-")[1]
    assert mounts["proxy"][0] == {
        "name": cfg_volume, "mountPath": "/etc/nginx/nginx.conf", "subPath": "nginx.conf", "readOnly": True,
    }
    assert mounts["proxy"][1]["subPath"] == "htpasswd" and mounts["proxy"][1]["readOnly"] is True
    assert mounts["proxy"][2] == {"name": "default", "mountPath": "/usr/share/nginx/html", "subPath": "html"}
    assert mounts["probe"] == [dict(mounts["proxy"][0], mountPath="/probe/nginx.conf")]  # one object, two mounts
    # the pod content hash covers the file: a change rolls the pod
    before = pod_content_hash(pod, hash_index([o for o in objects if o["kind"] == "Secret"], [conf]))
    (root / "nginx" / "nginx.conf").write_text("events {}\n")
    changed = convert_dir(root, app_for(root, ["default"])).objects
    conf2 = next(o for o in changed if o["kind"] == "ConfigMap")
    after = pod_content_hash(_pod(changed), hash_index([o for o in changed if o["kind"] == "Secret"], [conf2]))
    assert before and after and before != after


def test_single_file_bind_over_one_mebibyte_is_a_clear_error(tmp_path: Path) -> None:
    root = corpus_dir("single-file-binds", tmp_path)
    (root / "nginx" / "nginx.conf").write_bytes(b"#" * (1024 * 1024 + 1))
    with pytest.raises(ConversionError) as info:
        convert_dir(root, app_for(root, ["default"]))
    assert info.value.message == (
        "service probe: bind mount ./nginx/nginx.conf:/probe/nginx.conf: file size 1048577 exceeds limit 1048576 "
        "(1 MiB): nginx/nginx.conf (a ConfigMap/Secret holds at most 1 MiB; put larger files into the image or "
        "onto an App volume)"
    )


def test_absolute_binds_map_through_host_paths_and_time_files_warn(tmp_path: Path) -> None:
    root = corpus_dir("self-hosting-binds", tmp_path)
    app = app_for(root, ["data"], host_paths={"/mnt/docker-volumes/answer": "data"})
    conversion = convert_dir(root, app)
    k8s_validate(conversion.objects)
    pod = _pod(conversion.objects)
    mounts = {c["name"]: c["volumeMounts"] for c in pod["containers"]}
    assert mounts == {
        "answer": [{"name": "data", "mountPath": "/data", "subPath": "data"}],
        "mysql": [{"name": "data", "mountPath": "/var/lib/mysql", "subPath": "db"}],
    }
    assert pod["initContainers"][0]["command"][2] == "mkdir -m 1777 -p /work/data/data\nmkdir -m 1777 -p /work/data/db"
    assert conversion.warnings == [
        "service answer: host /etc/localtime is not mounted (pods do not share the node's time zone); "
        "TZ=Europe/Berlin from its environment applies; a cluster with KOMPOX_COMPOSE_ALLOW: host-timezone "
        "mounts it read-only instead",
        "service mysql: host /etc/timezone is not mounted (pods do not share the node's time zone); "
        "set TZ in its environment (e.g. TZ: Europe/Berlin); a cluster with KOMPOX_COMPOSE_ALLOW: host-timezone "
        "mounts it read-only instead",
    ]


def test_time_files_mount_read_only_where_the_cluster_allows(tmp_path: Path) -> None:
    root = corpus_dir("self-hosting-binds", tmp_path)
    app = app_for(root, ["data"], host_paths={"/mnt/docker-volumes/answer": "data"})
    conversion = convert_dir(root, app, allow="host-timezone")
    k8s_validate(conversion.objects)
    pod = _pod(conversion.objects)
    assert {"name": "host-etc-localtime", "hostPath": {"path": "/etc/localtime", "type": "File"}} in pod["volumes"]
    answer = next(c for c in pod["containers"] if c["name"] == "answer")
    assert answer["volumeMounts"][1] == {
        "name": "host-etc-localtime", "mountPath": "/etc/localtime", "readOnly": True,
    }
    assert conversion.warnings == []


def test_unmapped_absolute_bind_names_the_mapping_to_add(tmp_path: Path) -> None:
    root = corpus_dir("self-hosting-binds", tmp_path)
    with pytest.raises(ConversionError) as info:
        convert_dir(root, app_for(root, ["data"]))
    assert info.value.message == (
        "absolute bind volume not supported: /mnt/docker-volumes/answer/data (service answer); map a host path "
        'prefix to an App volume in the App: spec.hostPaths: {"/mnt/docker-volumes/answer": <volume>}'
    )


def test_docker_socket_is_refused_with_the_reason(tmp_path: Path) -> None:
    root = corpus_dir("docker-socket", tmp_path)
    with pytest.raises(ConversionError) as info:
        convert_dir(root, app_for(root, ["dashboard-data"], host_paths={"/var/run": "dashboard-data"}))
    assert info.value.message == (
        "service dashboard: bind mount /var/run/docker.sock:/var/run/docker.sock refused: the Docker socket "
        "controls the node's containers (and nodes run no Docker); a pod must not control its node"
    )


def test_service_fields_are_mapped_or_reported(tmp_path: Path) -> None:
    root = corpus_dir("service-fields", tmp_path)
    conversion = convert_dir(root, app_for(root))
    k8s_validate(conversion.objects)
    pod = _pod(conversion.objects)
    app, worker = pod["containers"]
    assert app["securityContext"] == {
        "runAsUser": 1000,
        "runAsGroup": 1000,
        "readOnlyRootFilesystem": True,
        "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]},
    }
    assert app["workingDir"] == "/srv/wiki"
    assert app["resources"] == {"limits": {"memory": "512Mi"}}  # deploy.resources.limits.memory: 512M
    assert worker["tty"] is True and worker["stdin"] is True and "securityContext" not in worker
    assert pod["securityContext"] == {
        "sysctls": [{"name": "net.ipv4.ip_unprivileged_port_start", "value": "0"}],
        "supplementalGroups": [2000],
    }
    assert conversion.warnings == [
        "service app: group_add video is not applied: Kubernetes needs numeric group ids",
        "service app: healthcheck is not applied: no liveness/readiness probes are generated",
        "service app: platform is not applied: not enforced; the node's architecture selects the image variant",
        "service app: runtime is not applied: the container runtime is the cluster's (use a RuntimeClass "
        "outside Kompox)",
        "service app: ulimits is not applied: Kubernetes has no per-container ulimits; the node's limits apply",
        'service worker: user wiki is not applied: Kubernetes needs a numeric uid[:gid] (e.g. user: "1000:1000"); '
        "the image's user applies",
        "service worker: restart is not applied: containers of a Deployment always restart",
    ]


def test_unsafe_sysctl_is_refused(tmp_path: Path) -> None:
    root = corpus_dir("service-fields", tmp_path)
    text = (root / "compose.yml").read_text().replace("net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_forward")
    (root / "compose.yml").write_text(text)
    with pytest.raises(ConversionError, match=r"service app: sysctl net\.ipv4\.ip_forward is not in Kubernetes' safe"):
        convert_dir(root, app_for(root))


def test_udp_ports_keep_their_protocol_on_containers_and_service(tmp_path: Path) -> None:
    root = corpus_dir("dns-udp", tmp_path)
    objects = convert_dir(root, app_for(root)).objects
    k8s_validate(objects)
    ports = {c["name"]: c["ports"] for c in _pod(objects)["containers"]}
    assert ports == {
        "resolver": [{"containerPort": 53, "protocol": "UDP"}, {"containerPort": 53}, {"containerPort": 8080}],
        "tunnel": [{"containerPort": 51820, "protocol": "UDP"}],
    }
    service = next(o for o in objects if o["kind"] == "Service" and o["metadata"]["name"] == "app1-app")
    assert service["spec"]["ports"] == [
        {"name": "p53", "port": 53, "targetPort": 53},
        {"name": "p8053", "port": 8053, "targetPort": 8080},
        {"name": "p53-udp", "port": 53, "targetPort": 53, "protocol": "UDP"},
        {"name": "p51820-udp", "port": 51820, "targetPort": 51820, "protocol": "UDP"},
    ]


def test_host_control_fields_are_refused_unless_the_cluster_allows_them(tmp_path: Path) -> None:
    root = corpus_dir("host-control", tmp_path)
    with pytest.raises(ConversionError) as info:
        convert_dir(root, app_for(root))
    assert info.value.message == (
        "service agent: privileged: true is refused unless the cluster allows it "
        "(cluster spec.settings KOMPOX_COMPOSE_ALLOW: privileged)"
    )
    with pytest.raises(ConversionError, match="network_mode: host is refused unless the cluster allows it"):
        convert_dir(root, app_for(root), allow="privileged")
    with pytest.raises(ConversionError, match="devices is refused unless the cluster allows it"):
        convert_dir(root, app_for(root), allow="privileged,host-namespaces")
    with pytest.raises(ConversionError, match="unknown value root-please"):
        convert_dir(root, app_for(root), allow="privileged,root-please")
    objects = convert_dir(root, app_for(root), allow="privileged, host-namespaces, devices").objects
    k8s_validate(objects)
    pod = _pod(objects)
    assert pod["hostNetwork"] is True and pod["hostPID"] is True
    assert pod["volumes"] == [{"name": "dev-1", "hostPath": {"path": "/dev/kmsg"}}]
    agent = pod["containers"][0]
    assert agent["securityContext"] == {"privileged": True, "capabilities": {"add": ["SYS_ADMIN"]}}
    assert agent["volumeMounts"] == [{"name": "dev-1", "mountPath": "/dev/kmsg"}]
