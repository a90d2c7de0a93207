"""Changes from the Hub written to Shopify; our copy is updated from Shopify's answer.

Items change through an order edit (begin, set quantity / add variant, commit: nothing
applies until the commit), the address through orderUpdate, a whole cancellation through
orderCancel (refund and restock), a partial one (some items already shipped) through an
edit that sets the unshipped items to zero and restocks them. Whatever Shopify refuses
raises StoreRefused and leaves our copy as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from deskhand.commerce.shopify import queries
from deskhand.commerce.shopify.client import ShopifyClient, ShopifyError
from deskhand.commerce.shopify.ingest import Links, parse_time, upsert_order
from deskhand.commerce.store import StoreRefused
from deskhand.domain.orders import Address

CANCEL_POLLS = 10  # orderCancel runs as a job: read the order again until it shows


class Writer:
    def __init__(
        self, client: ShopifyClient, links: Links, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.client, self.links, self._sleep = client, links, sleep

    def _gid(self, kind: str, local_id: int) -> str:
        gid = self.links.gid(kind, local_id)
        if gid is None:
            raise StoreRefused("not_found")
        return gid

    def _edit(
        self,
        order_gid: str,
        steps: Callable[[str, dict[str, str]], None],
        note: str = "Changed by the customer in the Deskhand Customer Hub",
    ) -> dict[str, Any]:
        """Begin an edit, run `steps(calculated order id, line item -> calculated id)`, commit."""
        begun = self.client.mutate(queries.EDIT_BEGIN, {"id": order_gid}, "orderEditBegin")
        calculated = begun.get("calculatedOrder") or {}
        lines = {
            (n.get("lineItem") or {}).get("id", ""): n["id"]
            for n in (calculated.get("lineItems") or {}).get("nodes") or []
        }
        steps(calculated["id"], lines)
        committed = self.client.mutate(
            queries.EDIT_COMMIT,
            {"id": calculated["id"], "notifyCustomer": True, "staffNote": note},
            "orderEditCommit",
        )
        order: dict[str, Any] = committed.get("order") or {}
        if not order.get("id"):
            raise ShopifyError("orderEditCommit answered without the order")
        return order

    def _set_quantity(self, calc: str, line: str, quantity: int) -> None:
        self.client.mutate(
            queries.EDIT_SET_QUANTITY,
            {"id": calc, "lineItemId": line, "quantity": quantity, "restock": True},
            "orderEditSetQuantity",
        )

    def _calculated(self, lines: dict[str, str], item_gid: str) -> str:
        if item_gid not in lines:
            raise StoreRefused("not_found")
        return lines[item_gid]

    def swap_variant(self, order_id: int, item_id: int, variant_id: int, quantity: int) -> None:
        order_gid = self._gid("order", order_id)
        item_gid = self._gid("line_item", item_id)
        variant_gid = self._gid("variant", variant_id)

        def steps(calc: str, lines: dict[str, str]) -> None:
            self._set_quantity(calc, self._calculated(lines, item_gid), 0)
            self.client.mutate(
                queries.EDIT_ADD_VARIANT,
                {"id": calc, "variantId": variant_gid, "quantity": quantity},
                "orderEditAddVariant",
            )

        order = self._guarded(lambda: self._edit(order_gid, steps))
        # Shopify adds the new variant as a new line item: it continues our item's row.
        added = [
            n
            for n in (order.get("lineItems") or {}).get("nodes") or []
            if (n.get("variant") or {}).get("id") == variant_gid
            and int(n.get("currentQuantity") or 0) > 0
            and self.links.local("line_item", n["id"]) is None
        ]
        if added:
            self.links.forget("line_item", item_gid)
            self.links.session.flush()
            self.links.put("line_item", added[-1]["id"], item_id)
        upsert_order(self.links, order, force=True)

    def change_quantity(self, order_id: int, item_id: int, quantity: int) -> None:
        order_gid = self._gid("order", order_id)
        item_gid = self._gid("line_item", item_id)

        def steps(calc: str, lines: dict[str, str]) -> None:
            self._set_quantity(calc, self._calculated(lines, item_gid), quantity)

        upsert_order(self.links, self._guarded(lambda: self._edit(order_gid, steps)), force=True)

    def change_address(self, order_id: int, address: Address) -> None:
        order_gid = self._gid("order", order_id)
        first, _, last = address.name.strip().partition(" ")
        shipping = {
            "firstName": first,
            "lastName": last,
            "address1": address.line1,
            "city": address.city,
            "zip": address.postcode,
            "countryCode": address.country,
        }
        payload = self._guarded(
            lambda: self.client.mutate(
                queries.ORDER_UPDATE,
                {"input": {"id": order_gid, "shippingAddress": shipping}},
                "orderUpdate",
            )
        )
        upsert_order(self.links, payload.get("order") or {}, force=True)

    def cancel(
        self, order_id: int, item_ids: list[int], *, whole: bool, refund: bool, note: str
    ) -> None:
        """Cancel these items: the whole order when they are all that is left, else an edit."""
        order_gid = self._gid("order", order_id)
        if whole:
            order = self._guarded(lambda: self._cancel_order(order_gid, refund, note))
        else:
            gids = [self._gid("line_item", i) for i in item_ids]

            def steps(calc: str, lines: dict[str, str]) -> None:
                for gid in gids:
                    self._set_quantity(calc, self._calculated(lines, gid), 0)

            order = self._guarded(lambda: self._edit(order_gid, steps, note))
        upsert_order(self.links, order, force=True)

    def _cancel_order(self, order_gid: str, refund: bool, note: str) -> dict[str, Any]:
        self.client.mutate(
            queries.ORDER_CANCEL,
            {
                "orderId": order_gid,
                "reason": "CUSTOMER",
                "refund": refund,
                "restock": True,
                "notifyCustomer": True,
                "staffNote": note,
            },
            "orderCancel",
        )
        for attempt in range(CANCEL_POLLS):
            order: dict[str, Any] = (
                self.client.execute(queries.ORDER, {"id": order_gid}).get("order") or {}
            )
            if parse_time(order.get("cancelledAt")) is not None:
                return order
            self._sleep(min(0.2 * 2**attempt, 5.0))
        raise ShopifyError("Shopify accepted the cancellation but the order does not show it yet")

    @staticmethod
    def _guarded(call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """Shopify's refusals (and outages) become StoreRefused: nothing of ours changed."""
        try:
            return call()
        except ShopifyError as exc:
            raise StoreRefused("store_refused") from exc
