"""Engines and sessions; SQLite gets WAL and foreign keys switched on.

SQLite has one writer at a time, and every transaction here takes the write lock up front
(BEGIN IMMEDIATE). Threads of one process queue for it on a Python lock instead of SQLite's
busy handler, which sleeps and retries and, with dozens of threads waiting, lets some lose
for seconds until they fail with "database is locked". Other processes (a `deskhand worker`,
the command line) still meet at SQLite's lock, with a generous busy timeout.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from deskhand.config import Settings


class WriterLock:
    """SQLite's one writer, as a Python lock: reentrant in the thread that holds it, and
    released from whichever thread finishes the unit of work. FastAPI runs a generator
    dependency's start and end in two different worker threads (the Hub's and the console's
    page transactions), where a `threading.RLock` refuses the release ("cannot release
    un-acquired lock") and the page fails."""

    def __init__(self) -> None:
        self._free = threading.Semaphore(1)
        self._guard = threading.Lock()
        self._owner: int | None = None
        self._depth = 0

    def __enter__(self) -> WriterLock:
        me = threading.get_ident()
        with self._guard:
            if self._owner == me:
                self._depth += 1
                return self
        self._free.acquire()
        with self._guard:
            self._owner, self._depth = me, 1
        return self

    def __exit__(self, *_exc: object) -> None:
        with self._guard:
            self._depth -= 1
            if self._depth:
                return
            self._owner = None
        self._free.release()


# One writer lock per SQLite engine (see the module's docstring).
_writers: weakref.WeakKeyDictionary[Engine, WriterLock] = weakref.WeakKeyDictionary()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _writers[engine] = WriterLock()

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
            # Let SQLAlchemy, not the driver, open transactions (see _begin_immediate).
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin_immediate(conn: Any) -> None:
            # Take the write lock up front: a read transaction that later writes cannot be
            # upgraded under WAL while another writer holds the lock, and would back off.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


def make_sessionmaker(engine: Engine, settings: Settings | None = None) -> sessionmaker[Session]:
    """Sessions on this engine; with `settings`, each session carries them (`settings_of`),
    so an adapter behind the Store port can open the brand's sealed credentials."""
    info = {_SETTINGS: settings} if settings is not None else {}
    return sessionmaker(engine, expire_on_commit=False, info=info)


_SETTINGS = "deskhand.settings"


def settings_of(session: Session) -> Settings | None:
    """The settings the session's factory was made with, if any."""
    found = session.info.get(_SETTINGS)
    return found if isinstance(found, Settings) else None


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any error."""
    with _writer_of(factory):
        session = factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


def _writer_of(factory: sessionmaker[Session]) -> AbstractContextManager[Any]:
    bind = factory.kw.get("bind")
    lock = _writers.get(bind) if isinstance(bind, Engine) else None
    return lock if lock is not None else nullcontext()
