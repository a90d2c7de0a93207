"""The demo brand seeded once per database kind and restored for each test, moved to now.

Seeding the demo brand (store, knowledge base with its embeddings, widget) for every test
was one of the suite's largest costs. A snapshot holds every row the seeding wrote, read back
from the database, and the instant it was seeded at. Restoring it writes the same rows with
every datetime moved on by the time since and every date by the days since: exactly what
seeding at the new instant writes (the demo's times are all relative to "now"), so order
#1001 is still "placed 20 minutes ago". tests/db/test_demo_snapshot.py checks that row for
row, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, text

from deskhand.db.models import Base
from deskhand.db.session import make_sessionmaker, transaction
from deskhand.demo import seed_demo
from deskhand.team.demo import DEMO_OWNER_PASSWORD
from deskhand.team.passwords import hash_password

Rows = dict[str, list[dict[str, Any]]]  # table name -> its rows, in primary-key order


# Values seeding draws at random, drawn afresh on every restore as seeding would: the
# knowledge base's version token keys each process's search-index cache.
@cache
def _demo_owner_hash() -> str:
    """A salted hash of the demo owner's password, as seeding draws; one per test run (argon2
    takes a tenth of a second on purpose)."""
    return hash_password(DEMO_OWNER_PASSWORD)


FRESH: dict[tuple[str, str], Callable[[], Any]] = {
    ("kb_versions", "token"): lambda: str(uuid.uuid4()),
    ("team_members", "password_hash"): _demo_owner_hash,
}


def read_rows(conn: Connection) -> Rows:
    """Every non-empty table's rows, as SQLAlchemy reads them back."""
    rows: Rows = {}
    for table in Base.metadata.sorted_tables:
        found = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
        listed = [dict(row) for row in found]
        if listed:
            rows[table.name] = listed
    return rows


def read_sequences(conn: Connection) -> dict[str, tuple[int, bool]]:
    """PostgreSQL: each serial column's sequence -> (last_value, is_called)."""
    state: dict[str, tuple[int, bool]] = {}
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            seq = conn.scalar(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            )
            if seq:
                last, called = conn.execute(text(f"SELECT last_value, is_called FROM {seq}")).one()
                state[seq] = (int(last), bool(called))
    return state


def _moved(value: Any, elapsed: timedelta, days: timedelta) -> Any:
    if isinstance(value, datetime):
        return value + elapsed
    if isinstance(value, date):
        return value + days
    return value


@dataclass(frozen=True)
class DemoSnapshot:
    seeded_at: datetime  # aware UTC
    rows: Rows
    sequences: dict[str, tuple[int, bool]]  # PostgreSQL only; SQLite's ids follow max(rowid)

    @classmethod
    def seed(cls, engine: Engine, now: datetime) -> DemoSnapshot:
        """Seed the demo into `engine`'s empty database at `now` and remember what it wrote."""
        with transaction(make_sessionmaker(engine)) as session:
            seed_demo(session, now)
        with engine.connect() as conn:
            sequences = read_sequences(conn) if engine.dialect.name == "postgresql" else {}
            return cls(now, read_rows(conn), sequences)

    def rows_at(self, now: datetime) -> Rows:
        """The rows as seeding at `now` would have written them."""
        elapsed = now - self.seeded_at
        days = timedelta(days=(now.date() - self.seeded_at.date()).days)  # dates are UTC days
        return {
            name: [
                {
                    k: FRESH[name, k]() if (name, k) in FRESH else _moved(v, elapsed, days)
                    for k, v in row.items()
                }
                for row in rows
            ]
            for name, rows in self.rows.items()
        }

    def restore(self, engine: Engine, now: datetime) -> None:
        """Write the demo into `engine`'s empty database as if seeded at `now`."""
        rows = self.rows_at(now)
        with engine.begin() as conn:
            for table in Base.metadata.sorted_tables:
                if table.name in rows:
                    conn.execute(insert(table), rows[table.name])
            if self.sequences:
                calls = ", ".join(
                    f"setval('{seq}', {last}, {'true' if called else 'false'})"
                    for seq, (last, called) in self.sequences.items()
                )
                conn.execute(text(f"SELECT {calls}"))


def empty(engine: Engine) -> None:
    """Delete every row; on PostgreSQL restart the ids too (SQLite's follow max(rowid)).

    DELETE rather than TRUNCATE: on tables this small, TRUNCATE's new files and locks made it
    ten times slower, and it ran before every PostgreSQL test.
    """
    tables = reversed(Base.metadata.sorted_tables)  # children before their parents
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            deletes = "; ".join(f"DELETE FROM {t.name}" for t in tables)
            conn.execute(text(deletes))  # one round trip
            conn.execute(
                text(
                    "SELECT setval(c.oid, s.seqstart, false) FROM pg_class c"
                    " JOIN pg_sequence s ON s.seqrelid = c.oid"
                    " WHERE c.relnamespace = 'public'::regnamespace"
                )
            )
        else:
            for table in tables:
                conn.execute(table.delete())
