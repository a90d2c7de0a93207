"""The fake Shopify's root resolvers: the queries and the mutations Deskhand uses."""

from __future__ import annotations

import json
from typing import Any

from graphql import ExecutionResult, GraphQLError, execute, parse, validate

from deskhand.bench.shopify_fake.schema import SCHEMA
from deskhand.bench.shopify_fake.shop import (
    FakeLine,
    FakeShop,
    _Edit,
    connection,
    gid,
    iso,
    number_of,
)


def _plain(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if not (isinstance(v, dict) and "edges" in v)}


def jsonl_lines(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A bulk query's answer as Shopify's JSONL: one object per line, each nested
    connection's nodes on lines of their own after their parent, with `__parentId`."""
    lines: list[dict[str, Any]] = []

    def emit(node: dict[str, Any], parent: str | None) -> None:
        line = _plain(node)
        if parent:
            line["__parentId"] = parent
        lines.append(line)
        for value in node.values():
            if isinstance(value, dict) and "edges" in value:
                for edge in value["edges"]:
                    emit(edge["node"], node.get("id"))

    for connection_ in data.values():
        for edge in (connection_ or {}).get("edges") or []:
            emit(edge["node"], None)
    return lines


def _errors(message: str, field: str | None = None) -> list[dict[str, Any]]:
    return [{"field": [field] if field else None, "message": message}]


class Root:
    """graphql-core's root value: one method per root field, called with (info, **args)."""

    def __init__(self, shop: FakeShop) -> None:
        self.fake = shop
        self.base_url = ""  # where the server serves bulk results (set when it starts)

    # -- queries ---------------------------------------------------------------------------

    def shop(self, _info: Any) -> dict[str, Any]:  # noqa: D102 - the field's name
        s = self.fake
        return {"name": s.name, "myshopifyDomain": s.domain, "currencyCode": s.currency}

    def customers(
        self,
        _info: Any,
        first: int | None = None,
        after: str | None = None,
        query: str | None = None,
        sortKey: str | None = None,  # noqa: N803
        reverse: bool = False,
    ) -> dict[str, Any]:
        rows = self.fake.listing(self.fake.customers, query, sortKey)
        return self.fake.page(
            rows[::-1] if reverse else rows, first, after, self.fake.customer_node
        )

    def products(
        self,
        _info: Any,
        first: int | None = None,
        after: str | None = None,
        query: str | None = None,
        sortKey: str | None = None,  # noqa: N803
        reverse: bool = False,
    ) -> dict[str, Any]:
        rows = self.fake.listing(self.fake.products, query, sortKey)
        return self.fake.page(rows[::-1] if reverse else rows, first, after, self.fake.product_node)

    def orders(
        self,
        _info: Any,
        first: int | None = None,
        after: str | None = None,
        query: str | None = None,
        sortKey: str | None = None,  # noqa: N803
        reverse: bool = False,
    ) -> dict[str, Any]:
        rows = self.fake.listing(self.fake.orders, query, sortKey)
        return self.fake.page(rows[::-1] if reverse else rows, first, after, self.fake.order_node)

    def _count(self, records: dict[int, Any], query: str | None) -> dict[str, Any]:
        return {
            "count": sum(1 for r in records.values() if self.fake.matches(r, query)),
            "precision": "EXACT",
        }

    def customersCount(self, _info: Any, query: str | None = None) -> dict[str, Any]:  # noqa: N802
        return self._count(self.fake.customers, query)

    def productsCount(self, _info: Any, query: str | None = None) -> dict[str, Any]:  # noqa: N802
        return self._count(self.fake.products, query)

    def ordersCount(self, _info: Any, query: str | None = None) -> dict[str, Any]:  # noqa: N802
        return self._count(self.fake.orders, query)

    def order(self, _info: Any, id: str) -> dict[str, Any] | None:  # noqa: A002
        found = self.fake.orders.get(number_of(id))
        return self.fake.order_node(found) if found else None

    def fulfillmentOrder(self, _info: Any, id: str) -> dict[str, Any] | None:  # noqa: N802, A002
        found = self.fake.orders.get(number_of(id)) if "FulfillmentOrder" in id else None
        return self.fake.fulfillment_order_node(found) if found and found.lines else None

    def customer(self, _info: Any, id: str) -> dict[str, Any] | None:  # noqa: A002
        found = self.fake.customers.get(number_of(id))
        return self.fake.customer_node(found) if found else None

    # -- bulk operations -------------------------------------------------------------------

    def node(self, _info: Any, id: str) -> dict[str, Any] | None:  # noqa: A002
        operation = self.fake.bulk.get(number_of(id)) if "BulkOperation" in id else None
        if operation is None:
            return None
        if operation["polls_left"] > 0:  # answer RUNNING once, as a real one takes a while
            operation["polls_left"] -= 1
            return {**operation["node"], "status": "RUNNING", "url": None}
        return operation["node"]

    def bulkOperationRunQuery(  # noqa: N802
        self,
        _info: Any,
        query: str,
        groupObjects: bool | None = None,  # noqa: N803
    ) -> dict[str, Any]:
        def refused(message: str) -> dict[str, Any]:
            error = {"code": "INVALID", "field": ["query"], "message": message}
            return {"bulkOperation": None, "userErrors": [error]}

        try:
            document = parse(query)
        except GraphQLError as exc:
            return refused(exc.message)
        problems = validate(SCHEMA, document)
        if problems:
            return refused(problems[0].message)
        self.fake.unbounded = True
        try:
            result = execute(SCHEMA, document, root_value=self)
        finally:
            self.fake.unbounded = False
        assert isinstance(result, ExecutionResult)
        lines = jsonl_lines(result.data or {})
        number = self.fake.new_id()
        node = {
            "__typename": "BulkOperation",
            "id": gid("BulkOperation", number),
            "status": "COMPLETED",
            "errorCode": None,
            "objectCount": str(len(lines)),
            "rootObjectCount": str(sum(1 for line in lines if "__parentId" not in line)),
            "url": f"{self.base_url}/bulk/{number}.jsonl",
            "createdAt": iso(self.fake.clock()),
            "completedAt": iso(self.fake.clock()),
            "query": query,
        }
        body = "".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines)
        self.fake.bulk[number] = {"node": node, "polls_left": 1, "body": body.encode()}
        return {"bulkOperation": {**node, "status": "CREATED", "url": None}, "userErrors": []}

    # -- order editing ---------------------------------------------------------------------

    def _calculated(self, edit: _Edit) -> dict[str, Any]:
        order = self.fake.orders[edit.order_id]
        lines = [
            {
                "id": gid("CalculatedLineItem", edit.calc_ids[line.id]),
                "quantity": edit.quantities[line.id],
                "lineItem": self.fake.line_node(order, line),
            }
            for line in order.lines
            if line.current > 0
        ] + [
            {"id": gid("CalculatedLineItem", calc), "quantity": qty, "lineItem": None}
            for calc, _variant, qty in edit.added
        ]
        return {
            "id": gid("CalculatedOrder", edit.id),
            "lineItems": lambda _info, first=None, after=None: connection(
                lines, first, after, lambda x: x
            ),
        }

    def orderEditBegin(self, _info: Any, id: str) -> dict[str, Any]:  # noqa: N802, A002
        if self.fake.refuse_writes:
            return {"calculatedOrder": None, "userErrors": _errors(self.fake.refuse_writes)}
        order = self.fake.orders.get(number_of(id))
        if order is None:
            return {"calculatedOrder": None, "userErrors": _errors("Order does not exist", "id")}
        if order.cancelled_at:
            return {
                "calculatedOrder": None,
                "userErrors": _errors("The order cannot be edited", "id"),
            }
        edit = _Edit(
            self.fake.new_id(),
            order.id,
            {line.id: line.current for line in order.lines},
            {line.id: self.fake.new_id() for line in order.lines},
        )
        self.fake.edits[edit.id] = edit
        return {"calculatedOrder": self._calculated(edit), "userErrors": []}

    def _edit(self, calc_id: str) -> _Edit | None:
        return self.fake.edits.get(number_of(calc_id))

    def orderEditSetQuantity(
        self,
        _info: Any,
        id: str,
        lineItemId: str,
        quantity: int,  # noqa: N802, N803, A002
        restock: bool | None = None,
    ) -> dict[str, Any]:
        edit = self._edit(id)
        if edit is None:
            return {
                "calculatedLineItem": None,
                "calculatedOrder": None,
                "userErrors": _errors("Calculated order does not exist", "id"),
            }
        line_id = next((k for k, v in edit.calc_ids.items() if v == number_of(lineItemId)), None)
        order = self.fake.orders[edit.order_id]
        fulfilled = {i for f in order.fulfillments for i in f.line_ids}
        if line_id is None or quantity < 0:
            return {
                "calculatedLineItem": None,
                "calculatedOrder": self._calculated(edit),
                "userErrors": _errors("Line item does not exist", "lineItemId"),
            }
        if line_id in fulfilled:
            return {
                "calculatedLineItem": None,
                "calculatedOrder": self._calculated(edit),
                "userErrors": _errors("Fulfilled line items cannot be edited", "lineItemId"),
            }
        edit.quantities[line_id] = quantity
        return {
            "calculatedLineItem": {"id": lineItemId, "quantity": quantity, "lineItem": None},
            "calculatedOrder": self._calculated(edit),
            "userErrors": [],
        }

    def orderEditAddVariant(
        self,
        _info: Any,
        id: str,
        variantId: str,
        quantity: int,  # noqa: N802, N803, A002
        locationId: str | None = None,  # noqa: N803
        allowDuplicates: bool | None = None,
    ) -> dict[str, Any]:  # noqa: N803
        edit = self._edit(id)
        variant = self.fake.variants.get(number_of(variantId))
        if edit is None or variant is None or quantity < 1:
            return {
                "calculatedLineItem": None,
                "calculatedOrder": None,
                "userErrors": _errors("Variant or calculated order does not exist", "variantId"),
            }
        if variant.stock < quantity:
            return {
                "calculatedLineItem": None,
                "calculatedOrder": self._calculated(edit),
                "userErrors": _errors("Not enough inventory available", "quantity"),
            }
        calc = self.fake.new_id()
        edit.added.append((calc, variant.id, quantity))
        return {
            "calculatedLineItem": {
                "id": gid("CalculatedLineItem", calc),
                "quantity": quantity,
                "lineItem": None,
            },
            "calculatedOrder": self._calculated(edit),
            "userErrors": [],
        }

    def orderEditCommit(
        self,
        _info: Any,
        id: str,
        notifyCustomer: bool | None = None,  # noqa: N802, N803, A002
        staffNote: str | None = None,
    ) -> dict[str, Any]:  # noqa: N803
        edit = self.fake.edits.pop(number_of(id), None)
        if edit is None:
            return {"order": None, "userErrors": _errors("Calculated order does not exist", "id")}
        order = self.fake.orders[edit.order_id]
        order.notes.append(staffNote or "")
        for _calc, variant_id, qty in edit.added:
            if self.fake.variants[variant_id].stock < qty:
                return {"order": None, "userErrors": _errors("Not enough inventory available")}
        for line in order.lines:
            wanted = edit.quantities.get(line.id, line.current)
            if line.variant_id in self.fake.variants:
                self.fake.variants[line.variant_id].stock += line.current - wanted  # restock
            line.current = wanted
        for _calc, variant_id, qty in edit.added:
            variant = self.fake.variants[variant_id]
            product = self.fake.products[variant.product_id]
            variant.stock -= qty
            order.lines.append(
                FakeLine(
                    self.fake.new_id(),
                    variant.id,
                    product.title,
                    variant.title,
                    variant.sku,
                    qty,
                    qty,
                    variant.price,
                )
            )
        self.fake.touch(order)
        return {"order": self.fake.order_node(order), "userErrors": []}

    # -- update and cancel -----------------------------------------------------------------

    def orderUpdate(self, _info: Any, input: dict[str, Any]) -> dict[str, Any]:  # noqa: N802, A002
        if self.fake.refuse_writes:
            return {"order": None, "userErrors": _errors(self.fake.refuse_writes)}
        order = self.fake.orders.get(number_of(input["id"]))
        if order is None:
            return {"order": None, "userErrors": _errors("Order does not exist", "id")}
        address = input.get("shippingAddress")
        if address is not None:
            if not address.get("countryCode") or not address.get("address1"):
                return {
                    "order": None,
                    "userErrors": _errors("Address is incomplete", "shippingAddress"),
                }
            name = " ".join(p for p in (address.get("firstName"), address.get("lastName")) if p)
            order.shipping = {
                "name": name,
                "firstName": address.get("firstName") or "",
                "lastName": address.get("lastName") or "",
                "address1": address.get("address1") or "",
                "city": address.get("city") or "",
                "zip": address.get("zip") or "",
                "countryCodeV2": address["countryCode"],
            }
        if input.get("tags") is not None:
            order.tags = list(input["tags"])
        self.fake.touch(order)
        return {"order": self.fake.order_node(order), "userErrors": []}

    def orderCancel(
        self,
        _info: Any,
        orderId: str,
        reason: str,
        refund: bool,
        restock: bool,  # noqa: N802, N803
        notifyCustomer: bool | None = None,  # noqa: N803
        staffNote: str | None = None,
    ) -> dict[str, Any]:  # noqa: N803
        def refused(code: str, message: str) -> dict[str, Any]:
            error = {"code": code, "field": ["orderId"], "message": message}
            return {"job": None, "orderCancelUserErrors": [error], "userErrors": []}

        if self.fake.refuse_writes:
            return refused("INVALID", self.fake.refuse_writes)
        order = self.fake.orders.get(number_of(orderId))
        if order is None:
            return refused("NOT_FOUND", "Order does not exist")
        if order.cancelled_at:
            return refused("INVALID", "Order has already been cancelled")
        if order.fulfillments:
            return refused("INVALID", "Cannot cancel an order with fulfillments")
        order.cancelled_at = self.fake.clock()
        order.refunded = refund
        order.notes.append(staffNote or "")
        if restock:
            for line in order.lines:
                if line.variant_id in self.fake.variants:
                    self.fake.variants[line.variant_id].stock += line.current
        self.fake.touch(order)
        return {
            "job": {"id": gid("Job", self.fake.new_id()), "done": True},
            "orderCancelUserErrors": [],
            "userErrors": [],
        }
