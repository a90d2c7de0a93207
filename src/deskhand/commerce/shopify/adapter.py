"""The Store port on a Shopify shop: reads our synced copy, writes through Shopify.

Reads are the embedded store's queries on the copied rows (same tables, brand-scoped). A
shopper our copy does not know yet (a webhook still on its way) is looked up with Shopify's
customer search and copied with their orders. Every change goes to Shopify first and our
copy takes Shopify's answer (`writes.py`). An item whose fulfillment order the warehouse
works on or holds is not changed at all (`in_fulfilment`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from deskhand.commerce.embedded import EmbeddedStore
from deskhand.commerce.shopify import queries
from deskhand.commerce.shopify.client import ShopifyClient, ShopifyError
from deskhand.commerce.shopify.connection import NotConnected, client_for
from deskhand.commerce.shopify.ingest import Links, upsert_customer
from deskhand.commerce.shopify.sync import copy_order
from deskhand.commerce.shopify.writes import Writer
from deskhand.commerce.store import StoreRefused
from deskhand.db import models
from deskhand.domain.contact import normalise_email, normalise_phone
from deskhand.domain.orders import Address, Customer, ItemStatus, Money
from deskhand.domain.policy import PolicyRules, cancellation_terms


class ShopifyStore(EmbeddedStore):
    def __init__(
        self, session: Session, brand_id: int, client: ShopifyClient | None = None
    ) -> None:
        super().__init__(session, brand_id)
        self._client = client

    def _shopify(self) -> ShopifyClient:
        if self._client is None:
            try:
                self._client = client_for(self._session, self._brand_id)
            except NotConnected:
                raise StoreRefused("store_refused") from None
        return self._client

    def _links(self) -> Links:
        return Links(self._session, self._brand_id)

    # -- finding shoppers: our copy first, then Shopify's customer search ----------------

    def _search(self, query: str) -> Customer | None:
        try:
            client = self._shopify()
            found = client.execute(queries.CUSTOMERS, {"first": 2, "query": query})
        except (StoreRefused, ShopifyError):
            return None  # Shopify out of reach: the shopper is as unknown as before
        nodes = (found.get("customers") or {}).get("nodes") or []
        if len(nodes) != 1:
            return None
        links = self._links()
        customer_id = upsert_customer(links, nodes[0])
        if customer_id is None:
            return None
        try:
            variables = {"id": nodes[0]["id"], "first": queries.ORDER_PAGE}
            for orders, _after in client.pages(
                queries.CUSTOMER_ORDERS, variables, "customer.orders"
            ):
                for order in orders:
                    copy_order(links, client, order)
        except ShopifyError:
            pass  # the customer is copied; their orders follow by webhook or reconciliation
        return self.customer(customer_id)

    def customer_by_email(self, email: str) -> Customer | None:
        found = super().customer_by_email(email)
        address = normalise_email(email)
        if found is not None or address is None:
            return found
        return self._search(f"email:{address}")

    def customer_by_phone(self, phone: str) -> Customer | None:
        found = super().customer_by_phone(phone)
        number = normalise_phone(phone)
        if found is not None or number is None:
            return found
        return self._search(f"phone:{number}")

    # -- changes -------------------------------------------------------------------------

    def _writer(self) -> Writer:
        return Writer(self._shopify(), self._links())

    def swap_variant(self, order_id: int, item_id: int, variant_id: int) -> None:
        item = self._item_row(order_id, item_id)
        if item.variant_id == variant_id:
            return
        self._not_in_fulfilment(order_id, [item_id])
        self._writer().swap_variant(order_id, item_id, variant_id, item.quantity)

    def change_quantity(self, order_id: int, item_id: int, quantity: int) -> None:
        self._item_row(order_id, item_id)
        if quantity < 1:
            raise StoreRefused("not_found")
        self._not_in_fulfilment(order_id, [item_id])
        self._writer().change_quantity(order_id, item_id, quantity)

    def change_address(self, order_id: int, address: Address) -> None:
        self._order_row(order_id)
        self._writer().change_address(order_id, address)

    def cancel(self, order_id: int, item_ids: list[int], now: datetime) -> None:
        order = self._order_row(order_id)
        live = [i.id for i in order.items if i.status != ItemStatus.CANCELLED.value]
        wanted = [
            i.id
            for i in order.items
            if i.id in set(item_ids) and i.status == ItemStatus.UNFULFILLED.value
        ]
        if not wanted:
            return
        self._not_in_fulfilment(order_id, wanted)
        whole = set(wanted) >= set(live)  # nothing shipped, nothing else left
        brand = self._session.get(models.Brand, self._brand_id)
        current = self.order_of(order.customer_id, order.number)
        if brand is None or current is None:
            raise StoreRefused("not_found")
        terms = cancellation_terms(current, PolicyRules.from_json(brand.policy), now)
        note = (
            "Cancelled by the customer in the Deskhand Customer Hub. Cancellation fee "
            f"{_money(terms.fee)}; refund due {_money(terms.refund)}."
        )
        # Shopify's orderCancel refunds everything or nothing: in full when the policy charges
        # no fee, else the refund due is left to the staff note (Shopify holds the payment).
        refund = whole and terms.fee.amount == 0
        self._writer().cancel(order_id, wanted, whole=whole, refund=refund, note=note)


def _money(amount: Money) -> str:
    return f"{amount.amount / 100:.2f} {amount.currency}"
