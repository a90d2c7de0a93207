"""The initial sync (resumable) and the reconciliation that catches missed webhooks.

The initial sync copies products (with variants), customers, then orders (line items,
fulfillments, tracking), one page per transaction: the page's rows and the run's cursor are
committed together, so an interrupted sync resumes at the first page it had not finished.
Reconciliation asks for everything updated since the last run began (with an overlap) and
upserts it; our copy keeps the newest `updatedAt`, so re-reading is harmless. Every read
from Shopify happens between transactions, never inside one: SQLite's one write lock (and a
PostgreSQL connection) is never held while Shopify answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from deskhand.commerce.shopify import bulk, queries
from deskhand.commerce.shopify.client import ShopifyClient, ShopifyError
from deskhand.commerce.shopify.connection import client_of
from deskhand.commerce.shopify.ingest import (
    SOURCE,
    Links,
    prefetch_orders,
    upsert_customer,
    upsert_order,
    upsert_product,
)
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.integrations import find_integration, record_error, record_sync
from deskhand.db.session import transaction
from deskhand.domain.vocabulary import IntegrationKind

PHASES = ("products", "customers", "orders")
BULK_FROM = 2_500  # a shop with this many orders copies them through one bulk operation
BULK_BATCH = 100  # orders per transaction when copying a bulk result
OVERLAP = timedelta(minutes=5)  # reconciliation re-reads a little before the last run
RECEIPTS_KEPT = timedelta(days=7)  # webhook ids remembered against replays
_PAGE = {
    "products": (queries.PRODUCTS, queries.PRODUCT_PAGE),
    "customers": (queries.CUSTOMERS, queries.CUSTOMER_PAGE),
    "orders": (queries.ORDERS, queries.ORDER_PAGE),
}

# (phase, copied so far in this phase, total in this phase or None)
OnProgress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class SyncStatus:
    """What the console and `deskhand shopify status` show."""

    mode: str
    status: str
    phase: str
    counts: dict[str, Any]
    started_at: datetime
    finished_at: datetime | None
    error: str


def latest_run(session: Session, brand_id: int) -> models.SyncRun | None:
    return session.scalar(
        select(models.SyncRun)
        .where(models.SyncRun.brand_id == brand_id, models.SyncRun.source == SOURCE)
        .order_by(models.SyncRun.id.desc())
        .limit(1)
    )


def sync_status(session: Session, brand_id: int) -> SyncStatus | None:
    run = latest_run(session, brand_id)
    if run is None:
        return None
    return SyncStatus(
        run.mode,
        run.status,
        run.phase,
        dict(run.counts),
        run.started_at,
        run.finished_at,
        run.error,
    )


def _open_run(session: Session, brand_id: int, mode: str, now: datetime) -> models.SyncRun:
    """The unfinished initial run to resume, or a new run."""
    run = latest_run(session, brand_id)
    if mode == "initial" and run is not None and run.mode == "initial" and run.status != "done":
        run.status, run.error, run.updated_at = "running", "", now
        return run
    run = models.SyncRun(
        brand_id=brand_id,
        source=SOURCE,
        mode=mode,
        status="running",
        phase=PHASES[0],
        cursor="",
        counts={},
        started_at=now,
        updated_at=now,
    )
    session.add(run)
    session.flush()
    return run


def _copy(
    links: Links, client: ShopifyClient, phase: str, nodes: list[dict[str, Any]], currency: str
) -> int:
    if phase == "orders":
        prefetch_orders(links, nodes)
    elif phase == "customers":
        links.prefetch("customer", (n["id"] for n in nodes))
    copied = 0
    for node in nodes:
        if phase == "products":
            upsert_product(links, node, currency)
            copied += 1
        elif phase == "customers":
            copied += upsert_customer(links, node) is not None
        else:
            copied += copy_order(links, client, node) is not None
    return copied


def copy_order(
    links: Links, client: ShopifyClient, node: dict[str, Any], *, force: bool = False
) -> int | None:
    """Upsert an order, first fetching its customer if our copy lacks them (`force`: the
    node was just read, so it wins even at the same `updatedAt`)."""
    if node.get("_customer"):  # read ahead by the sync
        upsert_customer(links, node["_customer"])
    found = upsert_order(links, node, force=force)
    customer = (node.get("customer") or {}).get("id")
    if found is None and customer and links.local("customer", customer) is None:
        fetched = client.execute(queries.CUSTOMER, {"id": customer}).get("customer")
        if fetched and upsert_customer(links, fetched) is not None:
            found = upsert_order(links, node, force=force)
    return found


def _with_customers(
    sessions: sessionmaker[Session],
    brand_id: int,
    client: ShopifyClient,
    nodes: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """A page of orders, each carrying `_customer`: its customer read from Shopify when our
    copy lacks them (created after the customers phase), so no write transaction waits on
    the network."""
    wanted = {str((n.get("customer") or {}).get("id") or "") for n in nodes} - {""}
    with transaction(sessions) as session:
        links = Links(session, brand_id)
        links.prefetch("customer", wanted)
        missing = {gid for gid in wanted if links.local("customer", gid) is None}
    fetched = {
        gid: client.execute(queries.CUSTOMER, {"id": gid}).get("customer") for gid in missing
    }
    return [
        {**n, "_customer": fetched.get(str((n.get("customer") or {}).get("id") or ""))}
        for n in nodes
    ]


def _bulk_orders(
    sessions: sessionmaker[Session],
    brand_id: int,
    client: ShopifyClient,
    run_id: int,
    cursor: str | None,
    counts: dict[str, Any],
    on_progress: OnProgress | None,
) -> None:
    """Copy the orders from one bulk operation; the cursor `bulk:<id>:<done>` resumes it."""
    if cursor and cursor.startswith("bulk:"):
        operation, _, done_text = cursor.removeprefix("bulk:").rpartition(":")
        done = int(done_text or 0)
    else:
        operation, done = bulk.start(client), 0
        _save(sessions, run_id, "orders", f"bulk:{operation}:0", counts)
    orders = bulk.orders_in(iter(client.download(bulk.wait(client, operation))))
    total = counts.get("orders_total")
    batch: list[dict[str, Any]] = []
    for index, order in enumerate(orders):
        if index < done:
            continue
        batch.append(order)
        if len(batch) == BULK_BATCH:
            done = _bulk_batch(sessions, brand_id, client, run_id, operation, done, batch, counts)
            batch = []
            if on_progress:
                on_progress("orders", counts["orders"], total)
    if batch:
        _bulk_batch(sessions, brand_id, client, run_id, operation, done, batch, counts)
        if on_progress:
            on_progress("orders", counts["orders"], total)


def _bulk_batch(
    sessions: sessionmaker[Session],
    brand_id: int,
    client: ShopifyClient,
    run_id: int,
    operation: str,
    done: int,
    batch: list[dict[str, Any]],
    counts: dict[str, Any],
) -> int:
    nodes = [bulk.completed(client, order) for order in batch]
    nodes = _with_customers(sessions, brand_id, client, nodes)
    with transaction(sessions) as session:
        copied = _copy(Links(session, brand_id), client, "orders", nodes, "")
        counts["orders"] = int(counts.get("orders", 0)) + copied
        _save_in(session, run_id, "orders", f"bulk:{operation}:{done + len(batch)}", counts)
    return done + len(batch)


def _save_in(
    session: Session, run_id: int, phase: str, cursor: str, counts: dict[str, Any]
) -> None:
    run = session.get(models.SyncRun, run_id)
    assert run is not None
    run.phase, run.cursor = phase, cursor
    run.counts, run.updated_at = dict(counts), datetime.now(UTC)


def _save(
    sessions: sessionmaker[Session], run_id: int, phase: str, cursor: str, counts: dict[str, Any]
) -> None:
    with transaction(sessions) as session:
        _save_in(session, run_id, phase, cursor, counts)


def _fail(sessions: sessionmaker[Session], brand_id: int, run_id: int, exc: Exception) -> None:
    with transaction(sessions) as session:
        run = session.get(models.SyncRun, run_id)
        if run is not None:
            run.status, run.error = "failed", str(exc)[:2000]
            run.updated_at = datetime.now(UTC)
        row = find_integration(session, brand_id, IntegrationKind.SHOPIFY)
        if row is not None:
            record_error(row, f"sync: {exc}")


def _finish(sessions: sessionmaker[Session], brand_id: int, run_id: int) -> None:
    with transaction(sessions) as session:
        run = session.get(models.SyncRun, run_id)
        assert run is not None
        run.status, run.phase, run.cursor = "done", "", ""
        run.finished_at = run.updated_at = datetime.now(UTC)
        row = find_integration(session, brand_id, IntegrationKind.SHOPIFY)
        if row is not None:
            record_sync(row)


def _run(
    sessions: sessionmaker[Session],
    brand_id: int,
    client: ShopifyClient,
    mode: str,
    on_progress: OnProgress | None,
    bulk_from: int = BULK_FROM,
) -> int:
    with transaction(sessions) as session:
        now = datetime.now(UTC)
        since: datetime | None = None
        if mode == "reconcile":
            last = latest_run(session, brand_id)
            since = (last.started_at - OVERLAP) if last is not None else None
        run = _open_run(session, brand_id, mode, now)
        run.since = run.since or since
        brand = session.get(models.Brand, brand_id)
        currency = brand.currency if brand else "EUR"
        run_id, phase, cursor = run.id, run.phase or PHASES[0], run.cursor or None
        filter_ = f"updated_at:>'{run.since.isoformat()}'" if run.since else None
        counts = dict(run.counts)
    try:
        if mode == "initial" and not any(k.endswith("_total") for k in counts):
            data = client.execute(queries.COUNTS, {"query": None})
            for name in PHASES:
                counts[f"{name}_total"] = int((data.get(f"{name}Count") or {}).get("count") or 0)
        for name in PHASES[PHASES.index(phase) :]:
            query, size = _PAGE[name]
            total = counts.get(f"{name}_total")
            if on_progress:
                on_progress(name, int(counts.get(name, 0)), total)
            in_bulk = (cursor or "").startswith("bulk:") or (
                name == "orders" and mode == "initial" and not cursor and (total or 0) >= bulk_from
            )
            if in_bulk:
                _bulk_orders(sessions, brand_id, client, run_id, cursor, counts, on_progress)
            else:
                pages = client.pages(query, {"first": size, "query": filter_}, name, after=cursor)
                for nodes, after in pages:
                    if name == "orders":  # read before the write transaction, not inside it
                        nodes = _with_customers(sessions, brand_id, client, nodes)
                    with transaction(sessions) as session:
                        copied = _copy(Links(session, brand_id), client, name, nodes, currency)
                        counts[name] = int(counts.get(name, 0)) + copied
                        _save_in(session, run_id, name, after or "", counts)
                    if on_progress:
                        on_progress(name, counts[name], total)
            cursor = None
            with transaction(sessions) as session:
                done_run = session.get(models.SyncRun, run_id)
                assert done_run is not None
                following = PHASES.index(name) + 1
                done_run.phase = PHASES[following] if following < len(PHASES) else ""
                done_run.cursor = ""
    except ShopifyError as exc:
        _fail(sessions, brand_id, run_id, exc)
        raise
    _finish(sessions, brand_id, run_id)
    return run_id


def initial_sync(
    sessions: sessionmaker[Session],
    brand_id: int,
    client: ShopifyClient,
    on_progress: OnProgress | None = None,
    bulk_from: int = BULK_FROM,
) -> int:
    """Copy the shop, resuming an unfinished initial sync; answers the run's id. From
    `bulk_from` orders on, the orders come through one bulk operation."""
    return _run(sessions, brand_id, client, "initial", on_progress, bulk_from)


def reconcile(
    sessions: sessionmaker[Session],
    brand_id: int,
    client: ShopifyClient,
    on_progress: OnProgress | None = None,
) -> int:
    """Re-read what changed since the last run began: catches webhooks that never came."""
    return _run(sessions, brand_id, client, "reconcile", on_progress)


def reconcile_due(
    sessions: sessionmaker[Session],
    settings: Settings,
    now: datetime,
    every: timedelta,
    client_factory: Callable[[models.Integration], ShopifyClient] | None = None,
) -> int:
    """The worker's chore: reconcile each Shopify brand whose last finished run began more
    than `every` ago (never one still in its initial sync); answers how many ran."""
    with transaction(sessions) as session:
        due: list[tuple[int, ShopifyClient]] = []
        rows = session.scalars(
            select(models.Integration).where(
                models.Integration.kind == IntegrationKind.SHOPIFY.value
            )
        )
        for row in rows:
            brand = session.get(models.Brand, row.brand_id)
            last = latest_run(session, row.brand_id)
            if brand is None or brand.store_kind != SOURCE or last is None:
                continue
            if last.mode == "initial" and last.status != "done":
                continue  # `deskhand shopify sync` resumes that one
            if last.status == "running" and last.updated_at > now - every:
                continue
            if last.started_at <= now - every:
                factory = client_factory or (lambda r: client_of(settings, r))
                due.append((row.brand_id, factory(row)))
        if due:  # Shopify retries a delivery for hours, not weeks: older receipts can go
            session.execute(
                delete(models.WebhookReceipt).where(
                    models.WebhookReceipt.source == SOURCE,
                    models.WebhookReceipt.received_at < now - RECEIPTS_KEPT,
                )
            )
    ran = 0
    for brand_id, client in due:
        try:
            reconcile(sessions, brand_id, client)
            ran += 1
        except ShopifyError:
            pass  # recorded on the run and the integration; tried again next time
        finally:
            client.close()
    return ran
