"""Golden manifests: one focused case per object family plus converter.md §20.

Compare by default; regenerate with ``KOMPOX_REGEN_GOLDEN=1`` and review the diff.
"""

from __future__ import annotations

import base64

from kompox.compose import load_project
from kompox.compose.model import Config, EnvFile, FileRef, Secret, Service
from kompox.domain.model import (
    App,
    AppDeployment,
    AppIngress,
    AppIngressRule,
    AppVolume,
    Cluster,
    ClusterIngress,
    LabelSelector,
    LabelSelectorRequirement,
    NetworkPolicy,
    NetworkPolicyIngressRule,
    NetworkPolicyPeer,
    NetworkPolicyPort,
    Provider,
    VolumeClass,
    VolumeDisk,
    Workspace,
)
from kompox.kube.convert import MemoryFiles, VolumeBinding, content_hash, convert

from .helpers import (
    AKS_FILES_CLASS,
    REF_BASE,
    WORKDIR,
    GiB,
    bind,
    check_golden,
    port,
    project,
    run,
    vol,
    worked_example,
)


def kinds(objects: list[dict]) -> list[str]:
    return [f"{o['kind']}/{o['metadata']['name']}" for o in objects]


def test_worked_example_matches_spec() -> None:
    conv = worked_example()
    check_golden("worked_example", conv.objects)
    assert kinds(conv.objects) == [
        "Namespace/k4x-1nedct-app1-4d94cw",
        "ServiceAccount/app1",
        "Role/app1-access",
        "RoleBinding/app1-access",
        "NetworkPolicy/app1",
        "PersistentVolume/k4x-1nedct-default-4d94cw-1nilil",
        "PersistentVolume/k4x-1nedct-db-4d94cw-3mhjra",
        "PersistentVolumeClaim/k4x-1nedct-default-4d94cw-1nilil",
        "PersistentVolumeClaim/k4x-1nedct-db-4d94cw-3mhjra",
        "ConfigMap/app1-app--cfg-nginx-conf",
        "Secret/app1-app--sec-api-key",
        "Secret/app1-app-app-base",
        "Deployment/app1-app",
        "Service/app1-app",
        "Service/app",
        "Service/postgres",
        "Ingress/app1-app-default",
        "Ingress/app1-app-custom",
    ]
    by_name = {o["metadata"]["name"]: o for o in conv.objects if o["kind"] != "Service"}
    hashes = {
        n: o["metadata"].get("annotations", {}).get("kompox.dev/compose-content-hash") for n, o in by_name.items()
    }
    assert hashes["app1-app--cfg-nginx-conf"] == "39bm7y"
    assert hashes["app1-app--sec-api-key"] == "2xnil1"
    assert hashes["app1-app-app-base"] == "lp11hg"
    assert by_name["app1-app-app-base"]["data"] == {"PASSWORD": "MWYyZDFlMmU2N2Rm", "USERNAME": "YWRtaW4="}
    assert by_name["app1-app--sec-api-key"]["data"] == {"api-key.txt": "c2VjcmV0MTIz"}
    ns = by_name["k4x-1nedct-app1-4d94cw"]
    assert ns["metadata"]["labels"]["app.kubernetes.io/instance"] == "app1-5ymxt7"
    assert ns["metadata"]["annotations"] == {
        "kompox.dev/app": "ops/aks1/cluster1/app1",
        "kompox.dev/provider-driver": "aks",
    }
    pod = by_name["app1-app"]["spec"]["template"]["spec"]
    assert pod["initContainers"][0]["command"][2] == (
        "mkdir -m 1777 -p /work/db/data\nmkdir -m 1777 -p /work/default/data/app"
    )
    assert pod["nodeSelector"] == {"kompox.dev/node-pool": "user", "kompox.dev/node-zone": "1"}
    hosts = [r["host"] for r in by_name["app1-app-default"]["spec"]["rules"]]
    assert hosts == ["app1-4d94cw-8080.ops.kompox.dev", "app1-4d94cw-8081.ops.kompox.dev"]
    assert all("resources" not in c for c in pod["containers"])


def test_minimal_namespace_rbac_networkpolicy() -> None:
    app = App(name="app1", ref_base=REF_BASE)
    conv = run(app, project(Service(name="web", image="nginx")), domain="")
    check_golden("minimal", conv.objects)
    assert kinds(conv.objects) == [
        "Namespace/k4x-1nedct-app1-4d94cw",
        "ServiceAccount/app1",
        "Role/app1-access",
        "RoleBinding/app1-access",
        "NetworkPolicy/app1",
        "Deployment/app1-app",
        "Service/web",
    ]
    role = conv.objects[2]
    assert [r["resources"] for r in role["rules"]][2] == ["pods/exec", "pods/portforward", "pods/attach"]


def test_network_policy_rules() -> None:
    app = App(
        name="app1",
        ref_base=REF_BASE,
        network_policy=NetworkPolicy(
            ingress_rules=[
                NetworkPolicyIngressRule(
                    from_=[
                        NetworkPolicyPeer(
                            LabelSelector(
                                match_labels={"team": "ops"},
                                match_expressions=[LabelSelectorRequirement("env", "In", ["prod", "stage"])],
                            )
                        ),
                        NetworkPolicyPeer(LabelSelector()),  # empty selector: skipped
                        NetworkPolicyPeer(None),
                    ],
                    ports=[NetworkPolicyPort(protocol="", port=5432), NetworkPolicyPort(protocol="UDP", port=53)],
                ),
                NetworkPolicyIngressRule(ports=[NetworkPolicyPort(port=80)]),
                NetworkPolicyIngressRule(from_=[NetworkPolicyPeer(LabelSelector())]),  # nothing left: skipped
            ]
        ),
    )
    conv = run(app, project(Service(name="web", image="nginx")), domain="")
    policy = next(o for o in conv.objects if o["kind"] == "NetworkPolicy")
    check_golden("network_policy", [policy])
    rules = policy["spec"]["ingress"]
    assert len(rules) == 3
    assert rules[1]["ports"] == [{"protocol": "TCP", "port": 5432}, {"protocol": "UDP", "port": 53}]
    assert "from" not in rules[2]


def test_pv_pvc_disk_sizes_and_explicit_name() -> None:
    app = App(name="app1", ref_base=REF_BASE, volumes=[AppVolume("data", 10**9), AppVolume("logs", 1536 << 20)])
    disk_class = VolumeClass(
        storage_class_name="managed-csi",
        csi_driver="disk.csi.azure.com",
        fs_type="xfs",
        attributes={"fsType": "ext4", "skuName": "Premium_LRS", "empty": ""},
        access_modes=["ReadWriteOnce", "Bogus"],
        reclaim_policy="Delete",
        volume_mode="Block",
    )
    bindings = [
        VolumeBinding("data", VolumeDisk(handle="  /subscriptions/x/disks/d1  ", size=0, assigned=True), disk_class),
        VolumeBinding("logs", VolumeDisk(handle="h-logs", size=1536 << 20), disk_class, resource_name="my-logs"),
    ]
    svc = Service(name="web", image="nginx", volumes=[vol("volume", "data", "/data"), vol("volume", "logs", "/logs")])
    conv = run(app, project(svc), bindings=bindings, domain="")
    pvs = [o for o in conv.objects if o["kind"] in ("PersistentVolume", "PersistentVolumeClaim")]
    check_golden("pv_pvc_disk", pvs)
    pv = pvs[0]
    assert pv["spec"]["capacity"] == {"storage": "954Mi"}
    assert pv["spec"]["csi"]["volumeHandle"] == "/subscriptions/x/disks/d1"
    assert pv["spec"]["csi"]["volumeAttributes"] == {"fsType": "xfs", "skuName": "Premium_LRS"}
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Delete"
    assert pv["spec"]["volumeMode"] == "Block"
    assert pv["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert [p["metadata"]["name"] for p in pvs[2:]][1] == "my-logs"


def test_pv_pvc_files_volume_is_rwx_and_empty_class_fields_omitted() -> None:
    app = App(name="app1", ref_base=REF_BASE, volumes=[AppVolume("share", 100 * GiB, type="files")])
    handle = "rg1#k4x1nedct4d94cw#share-d1####sub1"
    bindings = [VolumeBinding("share", VolumeDisk(handle=handle, size=100 * GiB), AKS_FILES_CLASS)]
    conv = run(
        app,
        project(Service(name="web", image="nginx", volumes=[vol("volume", "share", "/srv")])),
        bindings=bindings,
        domain="",
    )
    pvs = [o for o in conv.objects if o["kind"] in ("PersistentVolume", "PersistentVolumeClaim")]
    check_golden("pv_pvc_files", pvs)
    assert pvs[0]["spec"]["accessModes"] == ["ReadWriteMany"]
    assert pvs[1]["spec"]["accessModes"] == ["ReadWriteMany"]
    assert pvs[0]["spec"]["csi"] == {
        "driver": "file.csi.azure.com",
        "volumeHandle": handle,
        "volumeAttributes": {"protocol": "smb"},
    }
    assert "fsType" not in pvs[0]["spec"]["csi"]["volumeAttributes"]

    # A class with only a CSI driver: no storageClassName, no attributes; converter defaults only.
    bare = [VolumeBinding("share", VolumeDisk(handle=handle, size=0), VolumeClass(csi_driver="x.csi"))]
    conv = run(app, project(Service(name="web", image="nginx")), bindings=bare, domain="")
    pv = next(o for o in conv.objects if o["kind"] == "PersistentVolume")
    pvc = next(o for o in conv.objects if o["kind"] == "PersistentVolumeClaim")
    check_golden("pv_pvc_bare_class", [pv, pvc])
    assert "storageClassName" not in pv["spec"] and "storageClassName" not in pvc["spec"]
    assert pv["spec"]["csi"] == {"driver": "x.csi", "volumeHandle": handle}
    assert pv["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert pv["spec"]["capacity"] == {"storage": "100Gi"}


def test_configs_and_secrets() -> None:
    files = MemoryFiles(files={f"{WORKDIR}/conf/app.ini": b"[main]\nx=1\n", f"{WORKDIR}/s/cert.bin": b"\x00\xff\x10"})
    configs = [
        Config(key="app-ini", name="p_app-ini", file="conf/app.ini"),
        Config(key="inline", name="p_inline", content="hello\n"),
        Config(key="ext", name="ext", external=True),
        Config(key="from-env", name="p_from-env", environment="FOO"),
    ]
    secrets = [Secret(key="cert", name="p_cert", file="s/cert.bin"), Secret(key="unused", name="p_unused", content="u")]
    web = Service(
        name="web",
        image="nginx",
        configs=[FileRef("app-ini", "/etc/app.ini", mode=0o400), FileRef("inline"), FileRef("ext")],
        secrets=[FileRef("cert")],
    )
    worker = Service(name="worker", image="busybox", configs=[FileRef("app-ini", "/cfg/app.ini", mode=0o644)])
    conv = run(
        App(name="app1", ref_base=REF_BASE),
        project(web, worker, configs=configs, secrets=secrets),
        files=files,
        domain="",
    )
    objs = [o for o in conv.objects if o["kind"] in ("ConfigMap", "Secret")]
    deployment = next(o for o in conv.objects if o["kind"] == "Deployment")
    check_golden("configs_secrets", [*objs, deployment])
    assert [o["metadata"]["name"] for o in objs] == [
        "app1-app--cfg-app-ini",
        "app1-app--cfg-inline",
        "app1-app--sec-cert",
        "app1-app--sec-unused",
    ]
    cert = objs[2]
    assert base64.b64decode(cert["data"]["cert.bin"]) == b"\x00\xff\x10"
    assert cert["metadata"]["annotations"]["kompox.dev/compose-content-hash"] == content_hash(
        {"cert.bin": b"\x00\xff\x10"}
    )
    pod = deployment["spec"]["template"]["spec"]
    web_mounts = pod["containers"][0]["volumeMounts"]
    assert web_mounts == [
        {"name": "cfg-app-ini", "mountPath": "/etc/app.ini", "subPath": "app.ini", "readOnly": True},
        {"name": "cfg-inline", "mountPath": "/inline", "subPath": "inline", "readOnly": True},
        {"name": "sec-cert", "mountPath": "/run/secrets/cert", "subPath": "cert.bin", "readOnly": True},
    ]
    # first reference (service order: web) registers the mode
    cfg_vol = next(v for v in pod["volumes"] if v["name"] == "cfg-app-ini")
    assert cfg_vol["configMap"]["items"] == [{"key": "app.ini", "path": "app.ini", "mode": 0o400}]


def test_env_file_secrets() -> None:
    files = MemoryFiles(
        files={
            f"{WORKDIR}/a.env": b"# comment\nexport A=1\nB= spaced \nC=\"x\\ty\"\nD='lit $X'\nE=\n",
            f"{WORKDIR}/b.json": b'{"B": 10, "F": 1.5, "G": true}',
            f"{WORKDIR}/c.yaml": b"H: 0644\nI: on\nB: override\n",
        }
    )
    web = Service(
        name="web",
        image="nginx",
        env_files=[EnvFile("a.env"), EnvFile("b.json"), EnvFile("c.yaml"), EnvFile("missing.env", required=False)],
    )
    empty = Service(name="worker", image="busybox", env_files=[EnvFile("none.env", required=False)])
    conv = run(App(name="app1", ref_base=REF_BASE), project(web, empty), files=files, domain="")
    secrets = [o for o in conv.objects if o["kind"] == "Secret"]
    check_golden("env_file_secrets", secrets)
    data = {k: base64.b64decode(v).decode() for k, v in secrets[0]["data"].items()}
    assert data == {
        "A": "1",
        "B": "override",
        "C": "x\ty",
        "D": "lit $X",
        "E": "",
        "F": "1.5",
        "G": "true",
        "H": "420",
        "I": "on",
    }
    assert "data" not in secrets[1]
    assert secrets[1]["metadata"]["annotations"]["kompox.dev/compose-content-hash"] == "5oaq0b"


def test_deployment_containers() -> None:
    svc_b = Service(
        name="b-api",
        image="example/api:1",
        entrypoint=["/bin/api"],
        command=["--listen", ":8080", "--flag=a b"],
        environment={"ZED": "1", "ALPHA": "x", "UNSET": None, "Mid": "m"},
        ports=[port(8080, 8080), port(18080, 8080)],
    )
    svc_a = Service(name="a-web", image="example/web", entrypoint=[], command=[], ports=[port(80, 80)])
    conv = run(App(name="app1", ref_base=REF_BASE), project(svc_b, svc_a), domain="")
    deployment = next(o for o in conv.objects if o["kind"] == "Deployment")
    check_golden("deployment_containers", [deployment])
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == ["a-web", "b-api"]
    assert "command" not in containers[0] and "args" not in containers[0]
    assert [e["name"] for e in containers[1]["env"]] == ["ALPHA", "Mid", "ZED"]
    assert containers[1]["ports"] == [{"containerPort": 8080}]
    assert deployment["spec"]["selector"] == {"matchLabels": {"app": "app1-app"}}


def test_init_container_and_target_conflicts() -> None:
    app = App(name="app1", ref_base=REF_BASE, volumes=[AppVolume("default", GiB), AppVolume("cache", GiB)])
    files = MemoryFiles(files={f"{WORKDIR}/x.conf": b"x\n"})
    svc = Service(
        name="web",
        image="nginx",
        volumes=[
            vol("bind", "data/www", "/var/www"),
            vol("bind", ".", "/root"),
            vol("volume", "cache/a/", "/cache"),
            vol("volume", "cache", "/cache-all"),
            vol("volume", "default/shadowed", "/etc/x.conf"),
        ],
        configs=[FileRef("xconf", "/etc/x.conf")],
    )
    conv = run(app, project(svc, configs=[Config(key="xconf", name="p_xconf", file="x.conf")]), files=files, domain="")
    deployment = next(o for o in conv.objects if o["kind"] == "Deployment")
    check_golden("init_subpaths", [deployment])
    pod = deployment["spec"]["template"]["spec"]
    assert pod["initContainers"][0]["command"][2].split("\n") == [
        "mkdir -m 1777 -p /work/cache/a/",
        "mkdir -m 1777 -p /work/default/.",
        "mkdir -m 1777 -p /work/default/data/www",
        "mkdir -m 1777 -p /work/default/shadowed",
    ]
    mount_paths = [m["mountPath"] for m in pod["containers"][0]["volumeMounts"]]
    assert mount_paths == ["/var/www", "/root", "/cache", "/cache-all", "/etc/x.conf"]
    assert any("ignoring volume" in w for w in conv.warnings)


def test_scheduling_forms() -> None:
    svc = Service(name="web", image="nginx")
    pools_zones = App(
        name="app1",
        ref_base=REF_BASE,
        deployment=AppDeployment(pools=["npuser1", "npuser2"], zones=["japaneast-1", "japaneast-2"]),
    )
    pool_zone = App(name="app1", ref_base=REF_BASE, deployment=AppDeployment(pool="system", zone="japaneast-1"))
    pools_only = App(name="app1", ref_base=REF_BASE, deployment=AppDeployment(pools=["a"], zone="2"))
    pods = []
    for app in (pools_zones, pool_zone, pools_only):
        dep = next(o for o in run(app, project(svc), domain="").objects if o["kind"] == "Deployment")
        pods.append(dep)
    check_golden("scheduling", pods)
    specs = [d["spec"]["template"]["spec"] for d in pods]
    assert "nodeSelector" not in specs[0]
    terms = specs[0]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert terms == [
        {
            "matchExpressions": [
                {"key": "kompox.dev/node-pool", "operator": "In", "values": ["npuser1", "npuser2"]},
                {"key": "kompox.dev/node-zone", "operator": "In", "values": ["japaneast-1", "japaneast-2"]},
            ]
        }
    ]
    assert specs[1]["nodeSelector"] == {"kompox.dev/node-pool": "system", "kompox.dev/node-zone": "japaneast-1"}
    assert "affinity" not in specs[1]
    assert specs[2]["nodeSelector"] == {"kompox.dev/node-zone": "2"}


def test_plain_ports_service_and_headless() -> None:
    svc = Service(name="web", image="nginx", ports=[port(8443, 443), port(8080, 80)])
    conv = run(App(name="app1", ref_base=REF_BASE), project(svc, Service(name="db", image="postgres")))
    services = [o for o in conv.objects if o["kind"] == "Service"]
    check_golden("services", services)
    assert services[0]["spec"]["ports"] == [
        {"name": "p8080", "port": 8080, "targetPort": 80},
        {"name": "p8443", "port": 8443, "targetPort": 443},
    ]
    assert [s["metadata"]["name"] for s in services] == ["app1-app", "db", "web"]
    assert not [o for o in conv.objects if o["kind"] == "Ingress"]


def test_ingress_custom_only_uses_cluster_resolver() -> None:
    app = App(
        name="app1",
        ref_base=REF_BASE,
        ingress=AppIngress(
            rules=[AppIngressRule("web", 8080, [" a.example.com ", "b.example.com"]), AppIngressRule("api", 9090, [])]
        ),
    )
    svc = Service(name="web", image="nginx", ports=[port(8080, 80), port(9090, 90)])
    conv = run(app, project(svc), domain="", cert_resolver="production")
    ingresses = [o for o in conv.objects if o["kind"] == "Ingress"]
    check_golden("ingress_custom", ingresses)
    assert [i["metadata"]["name"] for i in ingresses] == ["app1-app-custom"]
    assert [r["host"] for r in ingresses[0]["spec"]["rules"]] == ["a.example.com", "b.example.com"]
    annotations = ingresses[0]["metadata"]["annotations"]
    assert annotations["traefik.ingress.kubernetes.io/router.tls.certresolver"] == "production"


def test_ingress_default_only_upstream_gitea_vector() -> None:
    """Names from the upstream deploy log quoted in converter.md §2.6."""
    app = App(name="app1", ref_base=REF_BASE, ingress=AppIngress(rules=[AppIngressRule("http", 3000, [])]))
    svc = Service(name="gitea", image="gitea/gitea", ports=[port(3000, 3000), port(2222, 22)])
    ingress_cfg = ClusterIngress(domain="cluster1.aks1.exp.kompox.dev", cert_resolver="staging")
    conv = convert(
        Workspace(name="aks-e2e-gitea-20250925-060355"),
        Provider(name="aks1", driver="aks"),
        Cluster(name="cluster1", ingress=ingress_cfg),
        app,
        project(svc),
        [],
        files=MemoryFiles(),
    )
    ingresses = [o for o in conv.objects if o["kind"] == "Ingress"]
    check_golden("ingress_default", ingresses)
    assert conv.objects[0]["metadata"]["name"] == "k4x-50vf7y-app1-13o40q"
    assert conv.objects[0]["metadata"]["labels"]["app.kubernetes.io/instance"] == "app1-2aopo7"
    assert [i["metadata"]["name"] for i in ingresses] == ["app1-app-default"]
    assert [r["host"] for r in ingresses[0]["spec"]["rules"]] == ["app1-13o40q-3000.cluster1.aks1.exp.kompox.dev"]
    assert "traefik.ingress.kubernetes.io/router.tls.certresolver" not in ingresses[0]["metadata"]["annotations"]
    app_service = next(o for o in conv.objects if o["kind"] == "Service" and o["metadata"]["name"] == "app1-app")
    assert app_service["spec"]["ports"] == [{"name": "http", "port": 3000, "targetPort": 3000}]


def test_unbound_volume_placeholder() -> None:
    app = App(name="app1", ref_base=REF_BASE, volumes=[AppVolume("default", GiB), AppVolume("db", GiB)])
    bindings = [bind(app)[0], VolumeBinding("db")]
    svc = Service(name="web", image="nginx", volumes=[vol("volume", "db", "/db"), vol("bind", "d", "/d")])
    conv = run(app, project(svc), bindings=bindings, domain="", allow_unbound=True)
    check_golden("unbound_volume", conv.objects)
    assert conv.unbound_volumes == ["db"]
    assert not conv.deployable
    names = [o["metadata"]["name"] for o in conv.objects if o["kind"] == "PersistentVolumeClaim"]
    assert names == ["k4x-1nedct-default-4d94cw-1nilil"]
    dep = next(o for o in conv.objects if o["kind"] == "Deployment")
    assert dep["metadata"]["annotations"] == {"kompox.dev/unbound-volumes": "db"}
    claims = [v["persistentVolumeClaim"]["claimName"] for v in dep["spec"]["template"]["spec"]["volumes"]]
    assert claims == ["k4x-1nedct-default-4d94cw-1nilil", "k4x-1nedct-db-4d94cw-unbound"]


def test_container_resources_from_compose_limits() -> None:
    text = (
        "services:\n"
        "  web:\n    image: nginx:1.27\n    cpus: 0.5\n    mem_limit: 256m\n    mem_reservation: 64m\n"
        "  worker:\n    image: example/worker:1\n"
        "    deploy:\n      resources:\n"
        "        limits: {cpus: '2', memory: 1g}\n        reservations: {cpus: '0.25', memory: 512M}\n"
    )
    proj = load_project(text, working_dir=WORKDIR, file_name="compose.yml")
    conv = run(App(name="app1", ref_base=REF_BASE), proj, domain="")
    deployment = next(o for o in conv.objects if o["kind"] == "Deployment")
    check_golden("container_resources", [deployment])
    containers = {c["name"]: c for c in deployment["spec"]["template"]["spec"]["containers"]}
    assert containers["web"]["resources"] == {
        "limits": {"cpu": "500m", "memory": "256Mi"},
        "requests": {"memory": "64Mi"},
    }
    assert containers["worker"]["resources"] == {
        "limits": {"cpu": "2", "memory": "1Gi"},
        "requests": {"cpu": "250m", "memory": "512Mi"},
    }
    assert conv.warnings == []
