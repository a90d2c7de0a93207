"""A brand's integrations: connect, read, record errors and syncs, disconnect.

Every adapter (Shopify, Zendesk, Gorgias, Loop, AfterShip, …) keeps its credentials here,
sealed; `config` holds only what may be shown to the brand.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.sealed import reseal, seal, unseal
from deskhand.domain.vocabulary import IntegrationKind


def find_integration(
    session: Session, brand_id: int, kind: IntegrationKind
) -> models.Integration | None:
    return session.scalar(
        select(models.Integration).where(
            models.Integration.brand_id == brand_id, models.Integration.kind == kind.value
        )
    )


def connect(
    session: Session,
    settings: Settings,
    brand_id: int,
    kind: IntegrationKind,
    *,
    config: dict[str, Any],
    secrets: dict[str, Any],
) -> models.Integration:
    """Create or replace the brand's connection of this kind."""
    row = find_integration(session, brand_id, kind)
    now = datetime.now(UTC)
    if row is None:
        row = models.Integration(brand_id=brand_id, kind=kind.value, connected_at=now)
        session.add(row)
    row.config = dict(config)
    row.sealed_secrets = seal(settings, secrets)
    row.connected_at = now
    row.last_error = ""
    row.last_error_at = None
    session.flush()
    return row


def secrets_of(settings: Settings, row: models.Integration) -> dict[str, Any]:
    return unseal(settings, row.sealed_secrets)


def record_error(row: models.Integration, message: str) -> None:
    row.last_error = message[:2000]
    row.last_error_at = datetime.now(UTC)


def record_sync(row: models.Integration) -> None:
    row.last_synced_at = datetime.now(UTC)


def disconnect(session: Session, brand_id: int, kind: IntegrationKind) -> bool:
    row = find_integration(session, brand_id, kind)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def reseal_all(session: Session, settings: Settings) -> int:
    """Seal every brand's credentials again under the current key (after a key rotation).

    All or nothing: a row that opens with none of the configured keys raises `SealBroken`
    before anything is written, so a half-rotated database cannot happen. Returns how many
    rows were resealed.
    """
    rows = list(session.scalars(select(models.Integration).order_by(models.Integration.id)))
    fresh = [reseal(settings, row.sealed_secrets) for row in rows]
    for row, token in zip(rows, fresh, strict=True):
        row.sealed_secrets = token
    session.flush()
    return len(rows)
