"""The per-test demo data restored from a snapshot is what seeding at that moment writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.demo_snapshot import FRESH, DemoSnapshot, Rows, empty, read_rows, read_sequences

from deskhand.db.session import make_engine

SEEDED_AT = datetime(2026, 3, 1, 23, 50, 7, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    "later",
    [
        SEEDED_AT + timedelta(minutes=40, microseconds=5),  # past midnight: dates move a day
        SEEDED_AT + timedelta(days=9, hours=3, seconds=1),
    ],
)
def test_a_restored_snapshot_is_row_for_row_what_seeding_later_writes(
    db_url: str, later: datetime
) -> None:
    engine = make_engine(db_url)
    try:
        snapshot = DemoSnapshot.seed(engine, SEEDED_AT)
        assert snapshot.rows["orders"]  # the demo was seeded and read back
        empty(engine)
        snapshot.restore(engine, later)
        with engine.connect() as conn:
            restored = read_rows(conn)
            sequences = read_sequences(conn) if engine.dialect.name == "postgresql" else {}
        empty(engine)
        fresh = DemoSnapshot.seed(engine, later)
        for (name, column), _ in FRESH.items():  # drawn at random: new on every restore
            assert _values(restored, name, column).isdisjoint(_values(snapshot.rows, name, column))
            assert len(_values(restored, name, column)) == len(restored[name])
        assert _without_fresh(restored) == _without_fresh(fresh.rows)
        assert sequences == fresh.sequences  # the next ids are the same too
    finally:
        engine.dispose()


def _values(rows: Rows, table: str, column: str) -> set[object]:
    return {row[column] for row in rows[table]}


def _without_fresh(rows: Rows) -> Rows:
    return {
        name: [{k: v for k, v in row.items() if (name, k) not in FRESH} for row in listed]
        for name, listed in rows.items()
    }
