"""``kompoxops admin`` on SQLite and PostgreSQL: byte-identical round trips, the bad-input list, the read side."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from admin_docs import APP, APP_ID, CLS, PRV, WS
from cli_project import isolate_env

from kompox.cli.main import run


@dataclass
class Out:
    code: int
    out: bytes
    err: str


@dataclass
class Admin:
    root: Path
    db_url: str
    cap: pytest.CaptureFixture[bytes]

    def run(self, *args: str) -> Out:
        self.cap.readouterr()
        code = run(["--db-url", self.db_url, *args])
        got = self.cap.readouterr()
        return Out(code, got.out, got.err.decode())

    def ok(self, *args: str) -> bytes:
        r = self.run(*args)
        assert r.code == 0, r.err
        return r.out

    def file(self, name: str, data: bytes) -> str:
        (self.root / name).write_bytes(data)
        return name

    def seed(self) -> None:
        for name, kind, data in (("ws.yml", "ws", WS), ("prv.yml", "provider", PRV), ("cls.yml", "cluster", CLS)):
            self.ok("admin", kind, "create", "-f", self.file(name, data))


def one_error(r: Out, code: int, text: str) -> str:
    assert r.code == code, (r.code, r.err)
    lines = [line for line in r.err.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and "Traceback" not in r.err, r.err
    assert text in lines[0], lines[0]
    assert r.out == b""
    return lines[0]


@pytest.fixture
def admin(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> Iterator[Admin]:
    isolate_env(monkeypatch)
    (tmp_path / ".kompox").mkdir()
    (tmp_path / ".kompox" / "config.yml").write_text("version: 1\n")
    monkeypatch.chdir(tmp_path)
    yield Admin(tmp_path, db_url, capsysbinary)


def test_app_round_trip_is_byte_identical(admin: Admin) -> None:
    admin.seed()
    created = admin.ok("admin", "app", "create", "-f", admin.file("app.yml", APP), "-o", "yaml")
    assert created == APP
    assert admin.ok("admin", "app", "get", APP_ID, "-o", "yaml") == APP
    got = json.loads(admin.ok("admin", "app", "get", APP_ID))
    assert (got["ID"], got["Name"], got["ClusterID"]) == (APP_ID, "a1", "/ws/w1/prv/k3s1/cls/c1")
    assert got["Volumes"] == [{"Name": "db", "Size": 1073741824, "Type": "disk", "Options": None}]
    assert list(got)[-3:] == ["CreatedAt", "UpdatedAt", "RefBase"]


def test_list_json_lines_and_yaml_stream(admin: Admin) -> None:
    admin.seed()
    lines = admin.ok("admin", "ws", "list").decode().splitlines()
    assert [json.loads(line)["ID"] for line in lines] == ["/ws/w1"]
    assert list(json.loads(lines[0])) == ["ID", "Name", "CreatedAt", "UpdatedAt"]
    assert admin.ok("admin", "provider", "list", "-o", "yaml") == PRV
    prv = json.loads(admin.ok("admin", "prv", "get", "/ws/w1/prv/k3s1"))
    assert (prv["WorkspaceID"], prv["Driver"], prv["Settings"]) == ("/ws/w1", "k3s", {"NOTE": "kept as written"})


def test_update_replaces_the_document_and_bumps_updated_at(admin: Admin) -> None:
    admin.seed()
    before = json.loads(admin.ok("admin", "cluster", "get", "/ws/w1/prv/k3s1/cls/c1"))
    changed = CLS.replace(b"existing: true", b"existing: false  # now managed")
    out = admin.ok("admin", "cluster", "update", "/ws/w1/prv/k3s1/cls/c1", "-f", admin.file("c.yml", changed))
    after = json.loads(out)
    assert (before["Existing"], after["Existing"]) == (True, False)
    assert after["CreatedAt"] == before["CreatedAt"] and after["UpdatedAt"] >= before["UpdatedAt"]
    assert admin.ok("admin", "cluster", "get", "/ws/w1/prv/k3s1/cls/c1", "-o", "yaml") == changed


def test_update_cannot_rename(admin: Admin) -> None:
    admin.seed()
    other = WS.replace(b"w1", b"w2")
    r = admin.run("admin", "ws", "update", "/ws/w1", "-f", admin.file("w2.yml", other))
    one_error(r, 3, "w2.yml: the document's Resource ID /ws/w2 differs from /ws/w1 (a resource cannot be renamed")


def test_unknown_resource_is_exit_4_naming_what_exists(admin: Admin) -> None:
    admin.seed()
    r = admin.run("admin", "cluster", "get", "/ws/w1/prv/k3s1/cls/nope")
    one_error(r, 4, "cluster not found: /ws/w1/prv/k3s1/cls/nope (existing clusters: /ws/w1/prv/k3s1/cls/c1)")
    r = admin.run("admin", "app", "delete", APP_ID)
    one_error(r, 4, f"app not found: {APP_ID} (existing apps: none)")


def test_missing_parent_is_refused(admin: Admin) -> None:
    admin.ok("admin", "ws", "create", "-f", admin.file("ws.yml", WS))
    r = admin.run("admin", "app", "create", "-f", admin.file("app.yml", APP))
    one_error(
        r,
        3,
        "app.yml: parent cluster /ws/w1/prv/k3s1/cls/c1 of app /ws/w1/prv/k3s1/cls/c1/app/a1 does not exist "
        "(existing clusters: none); create it first",
    )
    assert admin.ok("admin", "app", "list") == b""


def test_wrong_kind_and_invalid_documents_name_the_file(admin: Admin) -> None:
    r = admin.run("admin", "app", "create", "-f", admin.file("ws.yml", WS))
    one_error(r, 3, "ws.yml: expected exactly one App document (apiVersion ops.kompox.dev/v1alpha1, kind App)")
    bad = WS.replace(b"/ws/w1", b"/ws/W1")
    r = admin.run("admin", "ws", "create", "-f", admin.file("bad.yml", bad))
    one_error(r, 3, "bad.yml:6")
    r = admin.run("admin", "ws", "create", "-f", "missing.yml")
    one_error(r, 3, "missing.yml: cannot read spec file: No such file or directory")


def test_invalid_model_is_refused_before_writing(admin: Admin) -> None:
    admin.seed()
    bad = APP.replace(b"size: 1Gi", b"size: lots")
    r = admin.run("admin", "app", "create", "-f", admin.file("app.yml", bad))
    assert r.code == 3 and "app.yml" in r.err, r.err
    assert admin.ok("admin", "app", "list") == b""


def test_delete_refuses_a_workspace_with_children_unless_cascade(admin: Admin) -> None:
    admin.seed()
    admin.ok("admin", "app", "create", "-f", admin.file("app.yml", APP))
    r = admin.run("admin", "ws", "delete", "/ws/w1")
    one_error(
        r, 3, "workspace /ws/w1 still has 3 resource(s) below it: /ws/w1/prv/k3s1; delete them first or pass --cascade"
    )
    out = admin.ok("admin", "ws", "delete", "/ws/w1", "--cascade").decode()
    assert out.splitlines() == [
        f"deleted {APP_ID}",
        "deleted /ws/w1/prv/k3s1/cls/c1",
        "deleted /ws/w1/prv/k3s1",
        "deleted /ws/w1",
    ]
    assert admin.ok("admin", "ws", "list") == b""


def test_other_commands_read_the_database_store(admin: Admin) -> None:
    admin.seed()
    admin.ok("admin", "app", "create", "-f", admin.file("app.yml", APP))
    manifest = admin.ok("app", "validate", "-A", APP_ID, "--out-manifest", "-").decode()
    assert "kind: Namespace" in manifest and "image: nginx:1.27" in manifest


def test_admin_needs_a_database_url(admin: Admin) -> None:
    admin.db_url = "file:kompoxops.yml"
    one_error(admin.run("admin", "ws", "list"), 3, "admin needs a database store, not file:kompoxops.yml")


def test_sqlite_file_not_writable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    isolate_env(monkeypatch)
    (tmp_path / ".kompox").mkdir()
    monkeypatch.chdir(tmp_path)
    adm = Admin(tmp_path, "sqlite:ro.db", capsysbinary)
    adm.ok("admin", "ws", "list")
    db = tmp_path / "ro.db"
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(db)], capture_output=True, check=False).returncode != 0:
            pytest.skip("running as root and chattr +i is not available: cannot make the file unwritable")
    else:
        db.chmod(0o444)
    try:
        r = adm.run("admin", "ws", "create", "-f", adm.file("ws.yml", WS))
        one_error(r, 1, f"database file {db} is not writable: create /ws/w1 failed")
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(db)], check=False)


def test_cluster_provision_through_the_store(admin: Admin) -> None:
    admin.seed()  # cluster c1 is existing: true, so the lifecycle use case skips it (no --force here)
    out = admin.ok("admin", "cluster", "provision", "/ws/w1/prv/k3s1/cls/c1").decode()
    assert out == "skipped /ws/w1/prv/k3s1/cls/c1 (cluster marked as existing, skipping provision)\n"
    out = admin.ok("admin", "cls", "deprovision", "/ws/w1/prv/k3s1/cls/c1").decode()
    assert out.startswith("skipped /ws/w1/prv/k3s1/cls/c1")
    r = admin.run("admin", "cluster", "provision", "/ws/w1/prv/k3s1/cls/c9")
    one_error(r, 4, "cluster not found: /ws/w1/prv/k3s1/cls/c9 (existing clusters: /ws/w1/prv/k3s1/cls/c1)")


def test_any_command_with_an_unknown_scheme_masks_the_password(admin: Admin) -> None:
    admin.db_url = "mysql://root:hunter2@db.example.org/kompox"
    for args in (("app", "status", "-A", APP_ID), ("admin", "ws", "list")):
        r = admin.run(*args)
        line = one_error(r, 3, "mysql://root:***@db.example.org/kompox")
        assert "hunter2" not in r.err, line


def test_table_wide_and_name_outputs(admin: Admin) -> None:
    """table/wide/name as kubectl; json stays upstream's Go fields and yaml the stored document (its own form)."""
    admin.seed()
    admin.ok("admin", "app", "create", "-f", admin.file("app.yml", APP))
    assert admin.ok("admin", "app", "list", "-o", "name") == b"app/a1\n"
    assert admin.ok("admin", "cls", "get", "/ws/w1/prv/k3s1/cls/c1", "-o", "name") == b"cluster/c1\n"
    table = admin.ok("admin", "app", "list", "-o", "table").decode().splitlines()
    assert [line.split() for line in table] == [["NAME", "ID"], ["a1", APP_ID]]
    wide = admin.ok("admin", "app", "get", APP_ID, "-o", "wide").decode().splitlines()
    assert wide[0].split() == ["NAME", "ID", "PARENT", "VERSION", "CREATED", "UPDATED"]
    assert wide[1].split()[:4] == ["a1", APP_ID, "/ws/w1/prv/k3s1/cls/c1", "1"]
    assert wide[1].startswith(table[1])
    assert admin.ok("admin", "provider", "list", "-o", "table").decode().splitlines()[1].split() == [
        "k3s1",
        "/ws/w1/prv/k3s1",
    ]
    assert admin.ok("admin", "box", "list", "-o", "name") == b""  # nothing stored: no lines
    one_error(admin.run("admin", "app", "list", "-o", "xml"), 2, "'xml' is not one of")
