"""Bring a database to life: its folder, the newest schema, and (when given) first data.

Shared by every command that opens the database (`deskhand demo | serve | worker | chat |
migrate`, the benchmarks); the caller says what to seed, so this module needs nothing
above the database layer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from deskhand.config import Settings
from deskhand.db import migrate
from deskhand.db.brands import find_brand
from deskhand.db.session import make_engine, make_sessionmaker, transaction

Seed = Callable[[Session, datetime], object]
SQLITE_FILES = ("", "-wal", "-shm")


def prepare(settings: Settings, reset: bool = False, *, seed: Seed | None = None) -> None:
    """Migrate; seed an empty database (no brand yet) with `seed`, times relative to now.

    `reset` deletes the embedded SQLite database first (never a configured server database).
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if reset and not settings.database_url:
        for suffix in SQLITE_FILES:
            Path(f"{settings.data_dir / 'deskhand.db'}{suffix}").unlink(missing_ok=True)
    engine = make_engine(settings.resolved_database_url())
    try:
        migrate.upgrade(engine)
        if seed is not None:
            with transaction(make_sessionmaker(engine)) as session:
                if find_brand(session) is None:
                    seed(session, datetime.now(UTC))
    finally:
        engine.dispose()
