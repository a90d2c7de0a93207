"""The Store port: what the agent and the Hub may ask of a brand's shop."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from deskhand.domain.catalogue import CatalogueProduct
from deskhand.domain.orders import Address, Customer, Order, Variant


class StoreRefused(Exception):
    """The store would not make a change (say, the stock ran out); nothing was changed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        # "out_of_stock" | "not_found" | "store_refused" | "in_fulfilment" (being packed)
        self.reason = reason


class Store(Protocol):
    def customer_by_email(self, email: str) -> Customer | None: ...

    def customer_by_phone(self, phone: str) -> Customer | None: ...

    def customer(self, customer_id: int) -> Customer | None: ...

    def orders_of(self, customer_id: int) -> list[Order]:
        """The customer's orders, newest first.

        Every order says which of its items the warehouse is already packing or holds
        (`LineItem.in_fulfilment`, `Order.in_fulfilment_items`): they can no longer be
        changed or cancelled, and the changes below refuse them with "in_fulfilment".
        """
        ...

    def order_of(self, customer_id: int, number: str) -> Order | None:
        """The order with this number if, and only if, it belongs to this customer (with
        its items being packed marked, as in `orders_of`)."""
        ...

    def variant(self, variant_id: int) -> Variant | None: ...

    def products(self) -> list[CatalogueProduct]:
        """Every product of the catalogue with its variants' names, in catalogue order."""
        ...

    def variants_of(self, product_id: int) -> list[Variant]:
        """Every variant of one product, in catalogue order, with its stock."""
        ...

    # -- changes the shopper makes in the Hub; callers check the policy first ------------

    def swap_variant(self, order_id: int, item_id: int, variant_id: int) -> None:
        """Replace an item's variant by another of the same product; moves the stock."""
        ...

    def change_quantity(self, order_id: int, item_id: int, quantity: int) -> None: ...

    def change_address(self, order_id: int, address: Address) -> None: ...

    def cancel(self, order_id: int, item_ids: list[int], now: datetime) -> None:
        """Cancel these items (the whole order when nothing else is left); restocks them."""
        ...
