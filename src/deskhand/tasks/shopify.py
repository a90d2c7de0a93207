"""The `shopify_sync` task: a brand's Shopify sync on the queue (`deskhand worker`).

It opens its own short transactions (a page at a time, `commerce/shopify/sync.py`) rather
than running inside one: a sync of 10,000 orders must not hold SQLite's write lock, or a
PostgreSQL transaction, while Shopify answers. A refusal that will not change by trying
again (a revoked token, no connection) fails the task at once; an outage is retried, and
the sync resumes where it stopped.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from deskhand.commerce.shopify.client import ShopifyError, ShopifyUnavailable
from deskhand.commerce.shopify.scheduling import NotSyncable, sync_brand
from deskhand.config import Settings


class SyncRefused(Exception):
    """Shopify refused the sync for a reason a retry will not change."""


def shopify_sync(
    sessions: sessionmaker[Session], settings: Settings, brand_id: int, _params: dict[str, Any]
) -> str:
    try:
        return sync_brand(sessions, settings, brand_id).summary
    except ShopifyUnavailable:
        raise  # the queue retries with backoff; the sync resumes
    except (ShopifyError, NotSyncable) as exc:
        raise SyncRefused(str(exc)) from exc
