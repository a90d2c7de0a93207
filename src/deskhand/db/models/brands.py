"""Brands (tenants) and their per-brand settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class Brand(Base):
    __tablename__ = "brands"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    timezone: Mapped[str] = mapped_column(String(64))
    languages: Mapped[list[Any]]
    default_language: Mapped[str] = mapped_column(String(8))
    policy: Mapped[dict[str, Any]]
    shop_url: Mapped[str] = mapped_column(String(500), default="")
    # Which Store adapter holds this brand's customers and orders (`commerce.registry`).
    store_kind: Mapped[str] = mapped_column(
        String(16), default="embedded", server_default="embedded"
    )
    created_at: Mapped[datetime]


class WidgetSettings(Base):
    """How one brand's web chat widget looks and greets; a brand without a row gets defaults."""

    __tablename__ = "widget_settings"
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), primary_key=True)
    accent_colour: Mapped[str] = mapped_column(String(7))  # "#2f6b4f"
    position: Mapped[str] = mapped_column(String(8), default="right")  # "right" | "left"
    greetings: Mapped[dict[str, Any]]  # language -> greeting; missing ones use the default
    updated_at: Mapped[datetime]
    # The Customer Hub wears the same look: the brand's logo (an http(s) or /path URL) and
    # what the brand calls its portal per language (missing ones: the catalogue's name).
    logo_url: Mapped[str | None] = mapped_column(String(500))
    portal_names: Mapped[dict[str, Any] | None]
