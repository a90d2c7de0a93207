"""When a brand's Shopify sync runs off the request path: "sync now" from the console.

With Redis the console queues a `shopify_sync` task (`tasks/queue.py`) that `deskhand worker`
runs; without it (the embedded single-process mode) the request is a mark on the connection
that the worker's chore picks up, in the app's own worker thread or a `deskhand worker`. Both
end in `sync_brand`: the initial sync while it is unfinished (it resumes), else a
reconciliation. The sync commits page by page, so the app keeps answering meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from deskhand.commerce.shopify.client import ShopifyClient, ShopifyError
from deskhand.commerce.shopify.connection import client_of
from deskhand.commerce.shopify.sync import initial_sync, latest_run, reconcile, sync_status
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.integrations import find_integration
from deskhand.db.session import transaction
from deskhand.domain.vocabulary import IntegrationKind

REQUESTED = "sync_requested_at"  # in the connection's config: asked for, not yet picked up
STALE_RUN = timedelta(minutes=10)  # a "running" run this quiet died with its process


class NotSyncable(LookupError):
    """The brand has no Shopify connection to sync."""


@dataclass(frozen=True)
class Outcome:
    mode: str  # "initial" | "reconcile" | "skipped"
    summary: str


def request_sync(session: Session, brand_id: int, now: datetime) -> None:
    """Mark the brand's connection: the worker's chore syncs it on its next round."""
    row = find_integration(session, brand_id, IntegrationKind.SHOPIFY)
    if row is None:
        raise NotSyncable(f"brand {brand_id} has no Shopify connection")
    row.config = {**row.config, REQUESTED: now.isoformat()}


def requested(row: models.Integration) -> bool:
    return bool(row.config.get(REQUESTED))


def sync_brand(
    sessions: sessionmaker[Session],
    settings: Settings,
    brand_id: int,
    client: ShopifyClient | None = None,
) -> Outcome:
    """Resume the initial sync, or reconcile once it is done; skips while another runs.
    Raises ShopifyError when Shopify refuses or cannot be reached (recorded on the run)."""
    now = datetime.now(UTC)
    with transaction(sessions) as session:
        row = find_integration(session, brand_id, IntegrationKind.SHOPIFY)
        if row is None:
            raise NotSyncable(f"brand {brand_id} has no Shopify connection")
        last = latest_run(session, brand_id)
        if last is not None and last.status == "running" and last.updated_at > now - STALE_RUN:
            return Outcome("skipped", "a sync of this shop is running already")
        initial = last is None or (last.mode == "initial" and last.status != "done")
        client = client or client_of(settings, row)
    try:
        run = (initial_sync if initial else reconcile)(sessions, brand_id, client)
    finally:
        client.close()
    with transaction(sessions) as session:
        status = sync_status(session, brand_id)
        counts = status.counts if status else {}
    copied = ", ".join(
        f"{counts.get(name, 0)} {name}" for name in ("products", "customers", "orders")
    )
    mode = "initial" if initial else "reconcile"
    return Outcome(mode, f"{'initial sync' if initial else 'reconciliation'} {run}: {copied}")


def run_requested(sessions: sessionmaker[Session], settings: Settings) -> int:
    """The worker's chore: sync each brand whose connection asks for it; how many ran."""
    with transaction(sessions) as session:
        rows = session.scalars(
            select(models.Integration).where(
                models.Integration.kind == IntegrationKind.SHOPIFY.value
            )
        )
        wanted = []
        for row in rows:
            if requested(row):
                row.config = {k: v for k, v in row.config.items() if k != REQUESTED}
                wanted.append(row.brand_id)
    ran = 0
    for brand_id in wanted:
        try:
            sync_brand(sessions, settings, brand_id)
            ran += 1
        except ShopifyError:  # recorded on the run and the connection: the console shows it
            continue
    return ran
