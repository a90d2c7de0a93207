"""What the integrations page shows about the Shopify sync, as a page fragment and as the
small JSON document its script polls: phase, copied / total per resource, last sync, last
error, and whether a sync is waiting for a worker."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.commerce.shopify.oauth import configured
from deskhand.commerce.shopify.scheduling import requested
from deskhand.commerce.shopify.status import overview
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.integrations import find_integration
from deskhand.domain.vocabulary import IntegrationKind
from deskhand.tasks.queue import TaskKind, TaskStatus

RESOURCES = ("products", "customers", "orders")


def _when(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else None


def _queued_task(session: Session, brand_id: int) -> bool:
    found = session.scalar(
        select(models.BackgroundTask.id).where(
            models.BackgroundTask.brand_id == brand_id,
            models.BackgroundTask.kind == TaskKind.SHOPIFY_SYNC.value,
            models.BackgroundTask.status.in_([TaskStatus.QUEUED.value, TaskStatus.RUNNING.value]),
        )
    )
    return found is not None


def progress(session: Session, settings: Settings, brand_id: int) -> dict[str, Any]:
    """The JSON the page polls (and the fragment's first rendering)."""
    seen = overview(session, brand_id)
    row = find_integration(session, brand_id, IntegrationKind.SHOPIFY)
    run = seen.run
    resources = [
        {"name": name, "done": done, "total": total}
        for name, (done, total) in seen.progress().items()
    ]
    waiting = (row is not None and requested(row)) or _queued_task(session, brand_id)
    return {
        "connected": seen.connected,
        "shop": seen.shop,
        "store_active": seen.store_active,
        "status": run.status if run else "never",
        "mode": run.mode if run else "",
        "phase": run.phase if run else "",
        "resources": resources,
        "started_at": _when(run.started_at) if run else None,
        "finished_at": _when(run.finished_at) if run else None,
        "last_synced_at": _when(seen.last_synced_at),
        "last_error": seen.last_error or (run.error if run else ""),
        "last_error_at": _when(seen.last_error_at),
        "waiting": waiting,
        "queue": "redis" if settings.redis_url else "worker",
        "app_install": configured(settings),
    }
