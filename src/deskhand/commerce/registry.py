"""The one road to commerce data: `store_for(session, brand)` picks the brand's Store adapter.

The agent, the Hub and the channels never name an adapter; they ask for the brand's store.
Adding a shop system means one adapter module and one line in `_ADAPTERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from sqlalchemy.orm import Session

from deskhand.commerce.embedded import EmbeddedStore
from deskhand.commerce.shopify.adapter import ShopifyStore
from deskhand.commerce.store import Store
from deskhand.db import models


class StoreKind(StrEnum):
    EMBEDDED = "embedded"  # Deskhand's own tables (the demo store, or data imported into them)
    SHOPIFY = "shopify"  # a Shopify shop: our synced copy read, changes written to Shopify


_ADAPTERS: dict[StoreKind, Callable[[Session, int], Store]] = {
    StoreKind.EMBEDDED: EmbeddedStore,
    StoreKind.SHOPIFY: ShopifyStore,
}


class StoreNotConfigured(LookupError):
    """The brand names a store kind this installation has no adapter for."""


def store_for(session: Session, brand: models.Brand) -> Store:
    """The Store adapter of the brand's configured kind, bound to this session and brand."""
    try:
        kind = StoreKind(brand.store_kind)
    except ValueError as exc:
        raise StoreNotConfigured(
            f"brand {brand.slug!r}: no store adapter {brand.store_kind!r}"
        ) from exc
    return _ADAPTERS[kind](session, brand.id)
