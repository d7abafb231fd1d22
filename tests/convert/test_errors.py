"""Every converter error of converter.md §17 with upstream's message (one case each)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from kompox.compose.model import Config, EnvFile, FileRef, Secret, Service, ServicePort
from kompox.domain.model import App, AppIngress, AppIngressRule, AppVolume, VolumeClass, VolumeDisk
from kompox.kube.convert import ConversionError, MemoryFiles, VolumeBinding, convert

from .helpers import AKS_DISK_CLASS, REF_BASE, WORKDIR, GiB, bind, context, port, project, run, vol

WEB = Service(name="web", image="nginx")
ONE_VOL = [AppVolume("default", GiB)]


def with_app(**kw: Any) -> App:
    return App(name="app1", ref_base=REF_BASE, **kw)


def rules(*items: tuple[str, int, list[str]]) -> AppIngress:
    return AppIngress(rules=[AppIngressRule(n, p, h) for n, p, h in items])


Case = Callable[[], Any]


def conv(app: App, *services: Service, files: MemoryFiles | None = None, bindings: Any = None, **kw: Any) -> Any:
    configs = kw.pop("configs", [])
    secrets = kw.pop("secrets", [])
    return run(app, project(*services, configs=configs, secrets=secrets), files=files, bindings=bindings, **kw)


CASES: list[tuple[str, Case, str]] = [
    (
        "construct",
        lambda: convert(None, None, None, with_app(), project(WEB), []),
        "converter requires svc/prv/cls/app",
    ),
    (
        "env_file not allowed without file RefBase",
        lambda: conv(App(name="app1", ref_base="https://x/"), replace(WEB, env_files=[EnvFile("a.env")])),
        'env_file for service web: env_file not allowed (RefBase: "https://x/")',
    ),
    (
        "env_file absolute",
        lambda: conv(with_app(), replace(WEB, env_files=[EnvFile("/etc/a.env")])),
        "env_file for service web: env_file must be relative: /etc/a.env",
    ),
    (
        "env_file parent",
        lambda: conv(with_app(), replace(WEB, env_files=[EnvFile("../a.env")])),
        "env_file for service web: env_file path must not contain '..': ../a.env",
    ),
    (
        "env_file missing required",
        lambda: conv(with_app(), replace(WEB, env_files=[EnvFile("a.env")])),
        "env_file for service web: env_file stat failed: lstat /proj/a.env: no such file or directory",
    ),
    (
        "env_file directory",
        lambda: conv(with_app(), replace(WEB, env_files=[EnvFile("d")]), files=MemoryFiles(dirs={f"{WORKDIR}/d"})),
        "env_file for service web: env_file is directory: d",
    ),
    (
        "env_file symlink",
        lambda: conv(
            with_app(), replace(WEB, env_files=[EnvFile("l.env")]), files=MemoryFiles(symlinks={f"{WORKDIR}/l.env"})
        ),
        "env_file for service web: env_file symlink not allowed: l.env",
    ),
    (
        "env_file bad line",
        lambda: conv(
            with_app(),
            replace(WEB, env_files=[EnvFile("a.env")]),
            files=MemoryFiles(files={f"{WORKDIR}/a.env": b"A=1\n  no equals sign\n"}),
        ),
        "env_file for service web: .env line 2 missing '='",
    ),
    (
        "env_file control char",
        lambda: conv(
            with_app(),
            replace(WEB, env_files=[EnvFile("a.json")]),
            files=MemoryFiles(files={f"{WORKDIR}/a.json": b'{"A": "x\\u0007"}'}),
        ),
        "env_file for service web: value for A: contains control char 0x07",
    ),
    (
        "env_file yaml null",
        lambda: conv(
            with_app(),
            replace(WEB, env_files=[EnvFile("a.yml")]),
            files=MemoryFiles(files={f"{WORKDIR}/a.yml": b"A:\n"}),
        ),
        "env_file for service web: key A has null value (.yml not allowed)",
    ),
    (
        "config name",
        lambda: conv(with_app(), WEB, configs=[Config(key="Bad_Name", name="p_Bad_Name", content="x")]),
        'config name validation: invalid config/secret name "Bad_Name": a lowercase RFC 1123 label must consist of '
        "lower case alphanumeric characters or '-', and must start and end with an alphanumeric character "
        "(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ),
    (
        "secret name too long",
        lambda: conv(with_app(), WEB, secrets=[Secret(key="s" * 64, name="x", content="x")]),
        f'secret name validation: config/secret name "{"s" * 64}" exceeds 63 characters',
    ),
    (
        "config file missing",
        lambda: conv(with_app(), WEB, configs=[Config(key="c", name="p_c", file="c.conf")]),
        'resolve config "c": config/secret "c": stat failed: lstat /proj/c.conf: no such file or directory',
    ),
    (
        "config file not text",
        lambda: conv(
            with_app(),
            WEB,
            configs=[Config(key="c", name="p_c", file="c.bin")],
            files=MemoryFiles(files={f"{WORKDIR}/c.bin": b"\xef\xbb\xbfx"}),
        ),
        'resolve config "c": config/secret "c": ConfigMap requires UTF-8 without BOM and no NUL bytes: c.bin',
    ),
    (
        "secret file over remote RefBase",
        lambda: conv(App(name="app1", ref_base="https://h/"), WEB, secrets=[Secret(key="s", name="p_s", file="s.txt")]),
        'resolve secret "s": config/secret "s": local file reference not allowed (RefBase: "https://h/"): s.txt',
    ),
    (
        "secret file traversal",
        lambda: conv(with_app(), WEB, secrets=[Secret(key="s", name="p_s", file="../s.txt")]),
        'resolve secret "s": config/secret "s": path traversal not allowed: ../s.txt',
    ),
    (
        "inline content too large",
        lambda: conv(with_app(), WEB, configs=[Config(key="c", name="p_c", content="x" * (1048577))]),
        'resolve config "c": inline content size 1048577 exceeds limit 1048576 (1 MiB): c',
    ),
    (
        "config ref undefined",
        lambda: conv(with_app(), replace(WEB, configs=[FileRef("nope")])),
        'service web: config "nope" not defined in top-level configs',
    ),
    (
        "secret ref without source",
        lambda: conv(with_app(), replace(WEB, secrets=[FileRef("")])),
        "service web: secret reference must have source",
    ),
    (
        "duplicate config/secret target",
        lambda: conv(
            with_app(),
            replace(WEB, configs=[FileRef("a", "/etc/x")], secrets=[FileRef("b", "/etc/x")]),
            configs=[Config(key="a", name="p_a", content="a")],
            secrets=[Secret(key="b", name="p_b", content="b")],
        ),
        'target conflicts in service web: service web: target path "/etc/x" has duplicate configs/secrets: '
        "[config:a secret:b]",
    ),
    (
        "container-only port",
        lambda: conv(with_app(), replace(WEB, ports=[ServicePort(target=80)])),
        "ports must be 'host:container' style numeric; service web",
    ),
    (
        "host port range",
        lambda: conv(with_app(), replace(WEB, ports=[ServicePort(target=80, published="8000-8001")])),
        'invalid host port "8000-8001"',
    ),
    (
        "container port in two services",
        lambda: conv(
            with_app(), replace(WEB, ports=[port(8080, 80)]), Service(name="zeta", image="x", ports=[port(8081, 80)])
        ),
        "containerPort 80 used by multiple services (web,zeta)",
    ),
    (
        "host port conflict",
        lambda: conv(
            with_app(), replace(WEB, ports=[port(8080, 80)]), Service(name="zeta", image="x", ports=[port(8080, 81)])
        ),
        "hostPort 8080 mapped to multiple container ports (80,81)",
    ),
    (
        "volume without target",
        lambda: conv(with_app(volumes=ONE_VOL), replace(WEB, volumes=[vol("volume", "data", "")])),
        "volume with empty source/target not supported",
    ),
    (
        "colon in source",
        lambda: conv(with_app(volumes=ONE_VOL), replace(WEB, volumes=[vol("volume", "a:b", "/data")])),
        "unexpected ':' in volume source: a:b",
    ),
    (
        "bind with remote RefBase",
        lambda: conv(
            App(name="app1", ref_base="http://h/", volumes=ONE_VOL), replace(WEB, volumes=[vol("bind", "d", "/d")])
        ),
        'bind volume not allowed (RefBase: "http://h/"): d',
    ),
    (
        "absolute bind",
        lambda: conv(with_app(volumes=ONE_VOL), replace(WEB, volumes=[vol("bind", "/srv", "/d")])),
        "absolute bind volume not supported: /srv (service web); map a host path prefix to an App volume in "
        'the App: spec.hostPaths: {"/srv": <volume>}',
    ),
    (
        "bind of a single file",
        lambda: conv(
            with_app(volumes=ONE_VOL),
            replace(WEB, volumes=[vol("bind", "config.json", "/c.json")]),
            files=MemoryFiles(cwd_files={"config.json"}),
        ),
        "bind volume source must be a directory, not a single file: config.json "
        "(use configs/secrets for single-file mounts)",
    ),
    (
        "bind without app volume",
        lambda: conv(with_app(), replace(WEB, volumes=[vol("bind", "data", "/d")])),
        "relative bind volume 'data' requires at least one app volume (default) defined",
    ),
    (
        "undefined named volume",
        lambda: conv(with_app(volumes=ONE_VOL), replace(WEB, volumes=[vol("volume", "db/data", "/d")])),
        "named volume 'db' referenced by 'db/data' is not defined in app volumes"
        ' (add App volume "db" to spec.volumes, or map "db" in spec.composeVolumes)',
    ),
    (
        "unknown volume type",
        lambda: conv(with_app(volumes=ONE_VOL), replace(WEB, volumes=[vol("npipe", "x", "/t")])),
        "unsupported volume type: npipe (source=x target=/t)",
    ),
    (
        "invalid ingress name",
        lambda: conv(with_app(ingress=rules(("Main", 8080, []))), replace(WEB, ports=[port(8080, 80)])),
        "invalid ingress name: Main",
    ),
    (
        "ingress name too long",
        lambda: conv(with_app(ingress=rules(("a" * 16, 8080, []))), replace(WEB, ports=[port(8080, 80)])),
        f"invalid ingress name: {'a' * 16}",
    ),
    (
        "duplicate ingress port",
        lambda: conv(with_app(ingress=rules(("a", 8080, []), ("b", 8080, []))), replace(WEB, ports=[port(8080, 80)])),
        "duplicate ingress port 8080",
    ),
    (
        "ingress port not published",
        lambda: conv(with_app(ingress=rules(("a", 9090, []))), replace(WEB, ports=[port(8080, 80)])),
        "ingress port 9090 not defined in compose ports",
    ),
    (
        "same container port, two rule names",
        lambda: conv(
            with_app(ingress=rules(("a", 8080, []), ("b", 8081, []))),
            replace(WEB, ports=[port(8080, 80), port(8081, 80)]),
        ),
        "containerPort 80 referenced by multiple ingress entries with different names (a,b)",
    ),
    (
        "custom host under cluster domain",
        lambda: conv(
            with_app(ingress=rules(("a", 8080, ["www.OPS.kompox.dev"]))), replace(WEB, ports=[port(8080, 80)])
        ),
        "ingress host www.OPS.kompox.dev must not be under cluster ingress domain ops.kompox.dev",
    ),
    (
        "duplicated host",
        lambda: conv(
            with_app(ingress=rules(("a", 8080, ["x.example.com"]), ("b", 8081, ["x.example.com"]))),
            replace(WEB, ports=[port(8080, 80), port(8081, 81)]),
        ),
        "host x.example.com duplicated across ingress entries (a,b)",
    ),
    (
        "reserved headless name",
        lambda: conv(with_app(), Service(name="app1-app-x", image="x")),
        "compose service name 'app1-app-x' conflicts with reserved ingress service name prefixes",
    ),
    (
        "binding nil",
        lambda: conv(with_app(volumes=ONE_VOL), WEB, bindings=[None]),
        "binding at index 0 is nil",
    ),
    (
        "binding empty name",
        lambda: conv(with_app(volumes=ONE_VOL), WEB, bindings=[VolumeBinding(" ")]),
        "binding at index 0 has empty name",
    ),
    (
        "binding unknown volume",
        lambda: conv(with_app(volumes=ONE_VOL), WEB, bindings=[VolumeBinding("db")]),
        "volume db is not defined in app",
    ),
    (
        "binding without disk",
        lambda: conv(with_app(volumes=ONE_VOL), WEB, bindings=[VolumeBinding("default")]),
        "volume default has no disk in binding input",
    ),
    (
        "binding without handle",
        lambda: conv(
            with_app(volumes=ONE_VOL), WEB, bindings=[VolumeBinding("default", VolumeDisk(handle=" "), AKS_DISK_CLASS)]
        ),
        "volume default has no handle in binding input",
    ),
    (
        "binding without class",
        lambda: conv(with_app(volumes=ONE_VOL), WEB, bindings=[VolumeBinding("default", VolumeDisk(handle="h"))]),
        "no VolumeClass for volume default",
    ),
    (
        "binding without CSI driver",
        lambda: conv(
            with_app(volumes=ONE_VOL), WEB, bindings=[VolumeBinding("default", VolumeDisk(handle="h"), VolumeClass())]
        ),
        "no CSIDriver for volume default",
    ),
    (
        "binding count",
        lambda: conv(with_app(volumes=ONE_VOL), WEB, bindings=[]),
        "volume bindings count 0 does not match app volumes 1",
    ),
    (
        "binding order",
        lambda: conv(
            with_app(volumes=[AppVolume("a", GiB), AppVolume("b", GiB)]),
            WEB,
            bindings=list(reversed(bind(with_app(volumes=[AppVolume("a", GiB), AppVolume("b", GiB)])))),
        ),
        "volume binding at index 0 is for b; expected a",
    ),
]


@pytest.mark.parametrize(("case", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_error_message(case: Case, expected: str) -> None:
    with pytest.raises(ConversionError) as info:
        case()
    assert info.value.message == expected


def test_error_is_validation_error_with_config_exit_code() -> None:
    from kompox.domain.errors import ExitCode, ValidationError

    with pytest.raises(ValidationError) as info:
        conv(with_app(), Service(name="app1-box", image="x"))
    assert info.value.exit_code is ExitCode.CONFIG


def test_allow_unbound_does_not_hide_blank_handle() -> None:
    app = with_app(volumes=ONE_VOL)
    ws, prv, cls, _ = context(app)
    with pytest.raises(ConversionError, match="has no handle"):
        convert(
            ws,
            prv,
            cls,
            app,
            project(WEB),
            [VolumeBinding("default", VolumeDisk(handle=""), AKS_DISK_CLASS)],
            files=MemoryFiles(),
            allow_unbound=True,
        )
