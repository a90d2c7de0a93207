"""The suites a brand keeps in Deskhand (edited in the console), and the demo's."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db.models import AgentTestSuite
from deskhand.suites.spec import Suite, SuiteError, parse_suite

DEMO_SUITES = Path(__file__).parent / "demo"


def stored_suites(session: Session, brand_id: int) -> list[AgentTestSuite]:
    return list(
        session.scalars(
            select(AgentTestSuite)
            .where(AgentTestSuite.brand_id == brand_id)
            .order_by(AgentTestSuite.name)
        )
    )


def parsed(rows: list[AgentTestSuite]) -> tuple[list[tuple[str, Suite]], list[str]]:
    """The suites that read, and an error for each that does not."""
    good: list[tuple[str, Suite]] = []
    bad: list[str] = []
    for row in rows:
        try:
            good.append((row.name, parse_suite(row.source, row.name)))
        except SuiteError as exc:
            bad.append(str(exc))
    return good, bad


def save_suite(session: Session, brand_id: int, source: str, now: datetime) -> AgentTestSuite:
    """Check the YAML and keep it under its suite's name (replacing one of that name)."""
    suite = parse_suite(source, "the suite")
    row = session.scalar(
        select(AgentTestSuite).where(
            AgentTestSuite.brand_id == brand_id, AgentTestSuite.name == suite.name
        )
    )
    if row is None:
        row = AgentTestSuite(brand_id=brand_id, name=suite.name, source=source, updated_at=now)
        session.add(row)
    row.source, row.updated_at = source, now
    session.flush()
    return row


def seed_demo_suites(session: Session, brand_id: int, now: datetime) -> None:
    for path in sorted(DEMO_SUITES.glob("*.yaml")):
        save_suite(session, brand_id, path.read_text(encoding="utf-8"), now)
