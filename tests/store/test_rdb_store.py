"""The database store on SQLite and PostgreSQL: byte-identical rows, optimistic versions, schema checks, faults."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from kompox.domain.errors import ConfigError, ConflictError, NotFoundError, StoreError
from kompox.store.rdb.migrate import head_revision
from kompox.store.rdb.store import RdbStore, open_rdb

DOC = (
    b"# a comment that must survive\r\n"
    b"apiVersion: ops.kompox.dev/v1alpha1\n"
    b"kind: Workspace\n"
    b"metadata: {name: w, annotations: {ops.kompox.dev/id: /ws/w}}\n"
    b"spec:   {}   # odd spacing\n"
) + ("# non-ASCII: ümlaut 日本語\n".encode())


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> RdbStore:
    s = open_rdb(db_url, tmp_path)
    yield s
    s.close()


def test_round_trip_is_byte_identical(store: RdbStore) -> None:
    created = store.create("Workspace", "/ws/w", "w", "", DOC)
    got = store.get("/ws/w")
    assert got.document == DOC
    assert (got.kind, got.name, got.parent_id, got.version) == ("Workspace", "w", "", 1)
    assert got.created_at == created.created_at
    assert got.created_at.tzinfo is not None


def test_list_filters_by_kind_in_id_order(store: RdbStore) -> None:
    store.create("Workspace", "/ws/b", "b", "", b"b")
    store.create("Workspace", "/ws/a", "a", "", b"a")
    store.create("Provider", "/ws/a/prv/p", "p", "/ws/a", b"p")
    assert [r.id for r in store.list()] == ["/ws/a", "/ws/a/prv/p", "/ws/b"]
    assert [r.id for r in store.list("Workspace")] == ["/ws/a", "/ws/b"]
    assert store.list("App") == []


def test_get_missing_is_not_found(store: RdbStore) -> None:
    with pytest.raises(NotFoundError, match="resource not found: /ws/none"):
        store.get("/ws/none")


def test_update_bumps_version_and_stale_writer_conflicts(store: RdbStore) -> None:
    store.create("Workspace", "/ws/w", "w", "", b"v1")
    updated = store.update("/ws/w", b"v2", expected_version=1)
    assert (updated.version, updated.document) == (2, b"v2")
    with pytest.raises(ConflictError) as info:
        store.update("/ws/w", b"lost", expected_version=1)
    assert str(info.value) == "/ws/w was changed by another writer (read version 1, now 2); read it again and retry"
    assert store.get("/ws/w").document == b"v2"


def test_update_of_a_deleted_row_is_not_found(store: RdbStore) -> None:
    store.create("Workspace", "/ws/w", "w", "", b"v1")
    store.delete([("/ws/w", 1)])
    with pytest.raises(NotFoundError, match="deleted by another writer"):
        store.update("/ws/w", b"v2", expected_version=1)


def test_duplicate_create_is_a_conflict(store: RdbStore) -> None:
    store.create("Workspace", "/ws/w", "w", "", b"one")
    with pytest.raises(ConflictError, match="created concurrently"):
        store.create("Workspace", "/ws/w", "w", "", b"two")
    assert store.get("/ws/w").document == b"one"


def test_delete_is_all_or_nothing(store: RdbStore) -> None:
    store.create("Workspace", "/ws/w", "w", "", b"w")
    store.create("Provider", "/ws/w/prv/p", "p", "/ws/w", b"p")
    with pytest.raises(ConflictError):
        store.delete([("/ws/w/prv/p", 1), ("/ws/w", 7)])
    assert [r.id for r in store.list()] == ["/ws/w", "/ws/w/prv/p"]
    store.delete([("/ws/w/prv/p", 1), ("/ws/w", 1)])
    assert store.list() == []


def test_concurrent_writers_never_lose_an_update(db_url: str, tmp_path: Path) -> None:
    """Four writers, each with its own connection pool, increment one counter with read-modify-write + retry."""
    first = open_rdb(db_url, tmp_path)
    first.create("Workspace", "/ws/w", "w", "", b"0")
    writers, rounds = 4, 10
    conflicts: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        s = open_rdb(db_url, tmp_path)
        try:
            for _ in range(rounds):
                while True:
                    row = s.get("/ws/w")
                    try:
                        s.update("/ws/w", str(int(row.document) + 1).encode(), row.version)
                        break
                    except ConflictError:
                        conflicts.append(1)
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)
        finally:
            s.close()

    threads = [threading.Thread(target=work) for _ in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    final = first.get("/ws/w")
    assert int(final.document) == writers * rounds
    assert final.version == writers * rounds + 1
    first.close()


def test_reopen_keeps_data_and_schema_head(db_url: str, tmp_path: Path) -> None:
    s = open_rdb(db_url, tmp_path)
    s.create("Workspace", "/ws/w", "w", "", DOC)
    s.close()
    again = open_rdb(db_url, tmp_path)
    assert again.get("/ws/w").document == DOC
    with again.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    again.close()


def test_newer_schema_is_refused_naming_both_versions(db_url: str, tmp_path: Path) -> None:
    s = open_rdb(db_url, tmp_path)
    with s.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0042'"))
    s.close()
    with pytest.raises(StoreError) as info:
        open_rdb(db_url, tmp_path)
    text = str(info.value)
    assert "schema version 0042, newer than this kompoxops supports (0001)" in text
    assert "\n" not in text


def test_unknown_scheme_is_one_line_with_the_password_masked(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        open_rdb("mysql://root:hunter2@db/kompox", tmp_path)
    text = str(info.value)
    assert "unsupported db scheme: mysql://root:***@db/kompox" in text
    assert "hunter2" not in text


def test_postgres_unreachable_host_is_one_masked_line(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        open_rdb("postgresql://kompox:hunter2@127.0.0.1:1/kompox", tmp_path)
    text = str(info.value)
    assert text.startswith("database postgresql://kompox:***@127.0.0.1:1/kompox: open failed: ")
    assert "hunter2" not in text and "\n" not in text


def test_postgres_wrong_password_is_one_masked_line(pg_server: object, tmp_path: Path) -> None:
    from pg_server import PgServer

    assert isinstance(pg_server, PgServer)
    url = pg_server.url("postgres", password="wrong-Passw0rd")
    with pytest.raises(StoreError) as info:
        open_rdb(url, tmp_path)
    text = str(info.value)
    assert "password authentication failed" in text
    assert "wrong-Passw0rd" not in text and "postgresql://kompox:***@/postgres" in text


def test_sqlite_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"directory .*/nope does not exist"):
        open_rdb(f"sqlite:{tmp_path / 'nope' / 'k.db'}", tmp_path)


def test_sqlite_relative_path_and_default_file(tmp_path: Path) -> None:
    s = open_rdb("sqlite:", tmp_path)
    assert s.url.path == tmp_path / "kompoxops.db"
    s.close()
    assert (tmp_path / "kompoxops.db").is_file()
