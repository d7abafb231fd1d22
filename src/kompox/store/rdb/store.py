"""The database store: one row per resource in SQLite or PostgreSQL (implements ``domain.ports.ResourceStore``).

Every write checks the row's ``version`` (optimistic concurrency): a writer that read
version N and finds another version fails with :class:`ConflictError` instead of
overwriting the other writer's change.  Database errors become one-line
:class:`StoreError` messages with the password masked.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, event, insert, select, update
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from kompox.domain.errors import ConflictError, NotFoundError, StoreError
from kompox.domain.ports import StoredResource
from kompox.store.rdb.migrate import ensure_schema
from kompox.store.rdb.schema import RESOURCES
from kompox.store.rdb.url import DbUrl, parse_db_url

CONNECT_TIMEOUT_S = 5


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _row(row: Row[Any]) -> StoredResource:
    m = row._mapping
    return StoredResource(
        id=m["id"],
        kind=m["kind"],
        name=m["name"],
        parent_id=m["parent_id"],
        document=bytes(m["document"]),
        version=m["version"],
        created_at=_utc(m["created_at"]),
        updated_at=_utc(m["updated_at"]),
    )


class RdbStore:
    """Resources in a relational database; open with :func:`open_rdb`."""

    def __init__(self, url: DbUrl, engine: Engine, clock: Callable[[], datetime] | None = None) -> None:
        self.url = url
        self.engine = engine
        self._clock = clock or (lambda: datetime.now(UTC))

    # --- error mapping --------------------------------------------------------

    def _fail(self, action: str, err: Exception) -> StoreError:
        orig = getattr(err, "orig", None) or err
        text = " ".join(str(orig).split())
        if self.url.password:
            text = text.replace(self.url.password, "***")
        if self.url.path is not None:
            if "readonly database" in text or "read-only" in text:
                return StoreError(f"database file {self.url.path} is not writable: {action} failed ({text})")
            return StoreError(f"database file {self.url.path}: {action} failed: {text}")
        return StoreError(f"database {self.url.masked}: {action} failed: {text}")

    @contextmanager
    def _tx(self, action: str) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except (ConflictError, NotFoundError):
            raise
        except IntegrityError as err:
            raise ConflictError(f"{action}: the resource was created concurrently by another writer; retry") from err
        except SQLAlchemyError as err:
            raise self._fail(action, err) from None

    # --- reads ----------------------------------------------------------------

    def list(self, kind: str | None = None) -> list[StoredResource]:
        query = select(RESOURCES)
        if kind is not None:
            query = query.where(RESOURCES.c.kind == kind)
        with self._tx("list resources") as conn:
            rows = conn.execute(query).all()
        return sorted((_row(r) for r in rows), key=lambda r: r.id.encode("utf-8"))

    def get(self, id: str) -> StoredResource:
        with self._tx(f"read {id}") as conn:
            row = conn.execute(select(RESOURCES).where(RESOURCES.c.id == id)).first()
        if row is None:
            raise NotFoundError(f"resource not found: {id}")
        return _row(row)

    # --- writes ---------------------------------------------------------------

    def create(self, kind: str, id: str, name: str, parent_id: str, document: bytes) -> StoredResource:
        now = self._clock()
        values = {
            "id": id,
            "kind": kind,
            "name": name,
            "parent_id": parent_id,
            "document": document,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        with self._tx(f"create {id}") as conn:
            conn.execute(insert(RESOURCES).values(**values))
        return StoredResource(id, kind, name, parent_id, document, 1, now, now)

    def _conflict(self, conn: Connection, id: str, expected: int) -> ConflictError | NotFoundError:
        current = conn.execute(select(RESOURCES.c.version).where(RESOURCES.c.id == id)).scalar()
        if current is None:
            return NotFoundError(f"resource not found: {id} (deleted by another writer)")
        return ConflictError(
            f"{id} was changed by another writer (read version {expected}, now {current}); read it again and retry"
        )

    def update(self, id: str, document: bytes, expected_version: int) -> StoredResource:
        now = self._clock()
        with self._tx(f"update {id}") as conn:
            result = conn.execute(
                update(RESOURCES)
                .where(RESOURCES.c.id == id, RESOURCES.c.version == expected_version)
                .values(document=document, version=expected_version + 1, updated_at=now)
            )
            if result.rowcount != 1:
                raise self._conflict(conn, id, expected_version)
            row = conn.execute(select(RESOURCES).where(RESOURCES.c.id == id)).one()
        return _row(row)

    def delete(self, ids: builtins.list[tuple[str, int]]) -> None:
        """Delete every ``(id, version)`` in one transaction, or none of them."""
        with self._tx("delete") as conn:
            for id, version in ids:
                result = conn.execute(delete(RESOURCES).where(RESOURCES.c.id == id, RESOURCES.c.version == version))
                if result.rowcount != 1:
                    raise self._conflict(conn, id, version)

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def open_rdb(url: str, cwd: Path) -> RdbStore:
    """Connect, migrate an older schema, refuse a newer one; errors are one line with the secret masked."""
    db = parse_db_url(url, cwd)
    if db.backend == "sqlite":
        assert db.path is not None
        if not db.path.parent.is_dir():
            raise StoreError(f"database file {db.path}: directory {db.path.parent} does not exist")
        engine = create_engine(db.sqlalchemy_url, connect_args={"timeout": CONNECT_TIMEOUT_S})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(
            db.sqlalchemy_url, connect_args={"connect_timeout": CONNECT_TIMEOUT_S}, pool_pre_ping=False
        )
    store = RdbStore(db, engine)
    try:
        ensure_schema(engine, db.masked if db.path is None else str(db.path))
    except StoreError:
        engine.dispose()
        raise
    except SQLAlchemyError as err:  # DBAPIError included
        engine.dispose()
        raise store._fail("open", err) from None
    return store
