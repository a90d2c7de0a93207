"""SQLAlchemy models of the channels area (kept apart so areas can grow independently)."""

from __future__ import annotations

from deskhand.db.models import Base  # noqa: F401
