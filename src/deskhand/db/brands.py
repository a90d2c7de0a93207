"""Which brand a request, a webhook or a command is about."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models


def find_brand(session: Session, slug: str | None = None) -> models.Brand | None:
    """The brand with this slug; with no slug, the installation's first brand (the demo's,
    or a single-brand install's). None when there is no such brand."""
    if slug:
        return session.scalar(select(models.Brand).where(models.Brand.slug == slug))
    return session.scalar(select(models.Brand).order_by(models.Brand.id).limit(1))
