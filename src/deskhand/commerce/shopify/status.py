"""What the console's integrations page and `deskhand shopify status` show about a brand's
Shopify connection: the shop, when it was connected and synced, the last error, and the
latest sync run with its progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskhand.commerce.shopify.ingest import SOURCE
from deskhand.commerce.shopify.sync import SyncStatus, sync_status
from deskhand.db import models
from deskhand.db.integrations import find_integration
from deskhand.domain.vocabulary import IntegrationKind


@dataclass(frozen=True)
class Overview:
    connected: bool
    shop: str
    api_version: str
    store_active: bool  # the brand's agent and Hub read this shop
    connected_at: datetime | None
    last_synced_at: datetime | None
    last_error: str
    last_error_at: datetime | None
    run: SyncStatus | None

    def progress(self) -> dict[str, tuple[int, int | None]]:
        """Per resource: (copied, total if known), from the latest run."""
        counts = self.run.counts if self.run else {}
        return {
            name: (int(counts.get(name, 0)), counts.get(f"{name}_total"))
            for name in ("products", "customers", "orders")
        }


def overview(session: Session, brand_id: int) -> Overview:
    row = find_integration(session, brand_id, IntegrationKind.SHOPIFY)
    brand = session.get(models.Brand, brand_id)
    return Overview(
        connected=row is not None,
        shop=str(row.config.get("shop", "")) if row else "",
        api_version=str(row.config.get("api_version", "")) if row else "",
        store_active=brand is not None and brand.store_kind == SOURCE,
        connected_at=row.connected_at if row else None,
        last_synced_at=row.last_synced_at if row else None,
        last_error=row.last_error if row else "",
        last_error_at=row.last_error_at if row else None,
        run=sync_status(session, brand_id),
    )


def unlinked_orders(session: Session, brand_id: int) -> int:
    """Orders of the brand that did not come from Shopify (an embedded store's own): a
    Shopify sync would mix with them, so the brand must not have any."""
    linked = select(models.ExternalLink.local_id).where(
        models.ExternalLink.brand_id == brand_id,
        models.ExternalLink.source == SOURCE,
        models.ExternalLink.kind == "order",
    )
    return int(
        session.scalar(
            select(func.count())
            .select_from(models.Order)
            .where(models.Order.brand_id == brand_id, models.Order.id.not_in(linked))
        )
        or 0
    )


def use_shopify(session: Session, brand_id: int) -> None:
    """From now on the brand's agent and Hub read the synced copy and write to Shopify."""
    brand = session.get(models.Brand, brand_id)
    if brand is not None:
        brand.store_kind = SOURCE
