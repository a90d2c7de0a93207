"""Backups of a SQLite database with SQLite's online backup API, and restoring one.

The online backup copies a consistent snapshot page by page while the server keeps reading
and writing (it restarts a step when a writer changed pages it had copied), so it is safe
while serving. A backup file holds every shopper's data: it is created readable by its
owner only. PostgreSQL is backed up with its own tools (`pg_dump`/`pg_restore`, see
docs/security.md).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

PAGES_PER_STEP = 256  # copy a step, let writers in, go on


class NotSqlite(ValueError):
    """The database is not a SQLite file (back up PostgreSQL with pg_dump)."""


class NotABackup(ValueError):
    """The file is not a SQLite database of Deskhand's."""


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise NotSqlite(f"{url.get_backend_name()} is backed up with its own tools (pg_dump)")
    return Path(url.database)


def _private_file(path: Path) -> None:
    """Create `path` empty, owner-only (0600), refusing to overwrite anything."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def backup_sqlite(database_url: str, target: Path) -> int:
    """Copy the live database to `target` (a new file); returns the pages copied."""
    source_path = sqlite_path(database_url)
    if not source_path.exists():
        raise FileNotFoundError(source_path)
    _private_file(target)
    source = sqlite3.connect(source_path, timeout=30)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest, pages=PAGES_PER_STEP)
        dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        pages = int(dest.execute("PRAGMA page_count").fetchone()[0])
    finally:
        dest.close()
        source.close()
    return pages


def check_backup(path: Path) -> None:
    """Refuse a file that is not an intact SQLite database made by Deskhand."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            ok = db.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise NotABackup(f"{path} is not a SQLite database: {exc}") from exc
    if ok != "ok":
        raise NotABackup(f"{path} is damaged: {ok}")
    if not {"alembic_version", "brands", "conversations"} <= tables:
        raise NotABackup(f"{path} is not a Deskhand database")


def restore_sqlite(backup: Path, database_url: str) -> int:
    """Replace the database's contents with the backup's; returns the pages restored.

    Runs through the backup API too, so the database file, its WAL and its readers stay
    consistent; stop the server first (it would keep serving from what it had cached).
    """
    check_backup(backup)
    target = sqlite_path(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    dest = sqlite3.connect(target, timeout=30)
    try:
        source.backup(dest)
        pages = int(dest.execute("PRAGMA page_count").fetchone()[0])
    finally:
        dest.close()
        source.close()
    return pages
