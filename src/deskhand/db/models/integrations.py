"""A brand's connection to an outside system (store, helpdesk, messaging, returns provider)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class Integration(Base):
    """One per brand and kind. Credentials are sealed (`db/sealed.py`): never stored in clear,
    never returned by the API; `config` holds what may be shown (a shop domain, a subdomain)."""

    __tablename__ = "integrations"
    __table_args__ = (UniqueConstraint("brand_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # domain.vocabulary.IntegrationKind
    config: Mapped[dict[str, Any]]
    sealed_secrets: Mapped[str] = mapped_column(Text, default="")
    connected_at: Mapped[datetime]
    last_synced_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_error_at: Mapped[datetime | None]


class OAuthState(Base):
    """One started OAuth install (Shopify's public-app flow): the random `state` sent to the
    shop's authorize page, good once and for a few minutes, and who started it."""

    __tablename__ = "oauth_states"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # domain.vocabulary.IntegrationKind
    state: Mapped[str] = mapped_column(String(64), unique=True)
    shop: Mapped[str] = mapped_column(String(255))
    member_id: Mapped[int | None]
    created_at: Mapped[datetime]
