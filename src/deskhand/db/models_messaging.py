"""SQLAlchemy models of the messaging channels (SMS, WhatsApp, email) and delivery."""

from __future__ import annotations

from deskhand.db.models import Base  # noqa: F401
