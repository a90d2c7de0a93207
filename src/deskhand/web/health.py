"""Liveness, readiness and metrics: `/healthz`, `/readyz`, `/metrics`.

`/healthz` answers while the process can serve (for a restart policy); `/readyz` also checks
the database and, when configured, Redis (for a load balancer or Kubernetes' readiness probe);
`/metrics` is Prometheus' text format (serving/metrics.py), with the outbox's lag read now.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import redis
from fastapi import APIRouter, Response
from sqlalchemy import func, or_, select, text, type_coerce

from deskhand.db import models
from deskhand.db.models import UTCDateTime
from deskhand.db.session import transaction
from deskhand.serving.deps import State
from deskhand.serving.metrics import OUTBOX_DUE, OUTBOX_LAG, exposition
from deskhand.serving.problems import Problem

router = APIRouter(tags=["operations"], include_in_schema=False)

DUE = ("pending", "retry")


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(state: State) -> dict[str, Any]:
    checks: dict[str, str] = {}
    try:
        with transaction(state.sessions) as session:
            session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means "not ready", reported, never raised
        checks["database"] = f"error: {type(exc).__name__}"
    if state.settings.redis_url:
        try:
            client = redis.Redis.from_url(state.settings.redis_url, socket_timeout=2)
            client.ping()
            client.close()
            checks["redis"] = "ok"
        except redis.RedisError as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
    failing = sorted(name for name, result in checks.items() if result != "ok")
    if failing:
        raise Problem(503, "Not ready", f"Failing: {', '.join(failing)}.", checks=checks)
    return {"status": "ready", "checks": checks}


@router.get("/metrics")
def metrics(state: State) -> Response:
    row = models.OutboxMessage
    now = datetime.now(UTC)
    became_due = func.coalesce(row.next_attempt_at, row.created_at)
    with transaction(state.sessions) as session:
        oldest, due = session.execute(
            select(type_coerce(func.min(became_due), UTCDateTime()), func.count(row.id)).where(
                row.status.in_(DUE), or_(row.next_attempt_at.is_(None), row.next_attempt_at <= now)
            )
        ).one()
    OUTBOX_LAG.set((now - oldest).total_seconds() if oldest else 0.0)
    OUTBOX_DUE.set(due)
    body, content_type = exposition()
    return Response(body, media_type=content_type)
