"""``--db-url`` values of the database store: parsing, the SQLAlchemy URL, and a masked form for messages.

No SQLAlchemy import here: the CLI classifies a URL without loading the database stack.

* ``sqlite:PATH`` / ``sqlite3:PATH`` — a SQLite file (relative to the working directory;
  empty = ``kompoxops.db``); ``sqlite:///abs/path`` is accepted too.
* ``postgresql://user:password@host:port/db`` / ``postgres://…`` — PostgreSQL through psycopg 3;
  ``?host=/run/dir`` selects a Unix socket directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from kompox.domain.errors import ConfigError

SQLITE_SCHEMES = ("sqlite", "sqlite3")
POSTGRES_SCHEMES = ("postgresql", "postgres")
DEFAULT_SQLITE_FILE = "kompoxops.db"
SUPPORTED = "file:PATH, sqlite:PATH, postgresql://USER:PASSWORD@HOST/DB"


@dataclass(frozen=True)
class DbUrl:
    """A parsed database URL; ``masked`` is safe for logs and error messages."""

    backend: str  # "sqlite" | "postgresql"
    sqlalchemy_url: str
    masked: str
    password: str = ""
    path: Path | None = None  # the SQLite file


def scheme_of(url: str) -> str:
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", url)
    return match.group(1).lower() if match else ""


def is_database_url(url: str) -> bool:
    return scheme_of(url) in SQLITE_SCHEMES + POSTGRES_SCHEMES


def check_store_scheme(url: str) -> None:
    """Refuse a ``--db-url`` that no store serves, naming it with the password masked."""
    if scheme_of(url) != "file" and not is_database_url(url):
        raise ConfigError(f"unsupported db scheme: {mask_url(url)} (supported: {SUPPORTED})", field="--db-url")


def mask_url(url: str) -> str:
    """The URL with any password replaced by ``***`` (also when it does not parse)."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        user = parts.username or ""
        host = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
    except ValueError:
        return re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", url)


def parse_db_url(url: str, cwd: Path) -> DbUrl:
    scheme = scheme_of(url)
    if scheme in SQLITE_SCHEMES:
        rest = url[len(scheme) + 1 :]
        if rest.startswith("//"):
            rest = rest[2:]
        path = Path(rest or DEFAULT_SQLITE_FILE)
        if not path.is_absolute():
            path = cwd / path
        return DbUrl("sqlite", f"sqlite+pysqlite:///{path}", url, path=path)
    if scheme in POSTGRES_SCHEMES:
        masked = mask_url(url)
        try:
            parts = urlsplit(url)
            password = parts.password or ""
            _ = parts.port  # raises ValueError on a bad port
        except ValueError as err:
            raise ConfigError(f"invalid database URL {masked}: {err}", field="--db-url") from None
        if not parts.path.strip("/"):
            raise ConfigError(f"invalid database URL {masked}: the database name is missing", field="--db-url")
        target = urlunsplit(parts._replace(scheme="postgresql+psycopg"))
        return DbUrl("postgresql", target, masked, password=password)
    raise ConfigError(f"unsupported db scheme: {mask_url(url)} (supported: {SUPPORTED})", field="--db-url")
