"""The brand's agent test suites, kept as the YAML the brand wrote (`suites/spec.py`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class AgentTestSuite(Base):
    __tablename__ = "agent_test_suites"
    __table_args__ = (UniqueConstraint("brand_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)  # the YAML
    updated_at: Mapped[datetime]
