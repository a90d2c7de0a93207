"""The fake Shopify's shop: customers, products, orders in memory, and how the Admin API
reads and changes them (resolvers for graphql-core, order editing, update, cancel)."""

from __future__ import annotations

import base64
import itertools
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

_QUERY = re.compile(r"(\w+):(>|<)?'?([^'\s]+)'?")


def gid(kind: str, number: int) -> str:
    return f"gid://shopify/{kind}/{number}"


def number_of(value: str) -> int:
    try:
        return int(str(value).rsplit("/", 1)[-1])
    except ValueError:
        return -1


def iso(when: datetime | None) -> str | None:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z") if when else None


def money(minor: int) -> str:
    return f"{minor / 100:.2f}"


@dataclass
class FakeVariant:
    id: int
    product_id: int
    title: str
    sku: str
    price: int  # minor units
    stock: int
    position: int
    options: dict[str, str]


@dataclass
class FakeProduct:
    id: int
    title: str
    handle: str
    tags: list[str]
    updated_at: datetime


@dataclass
class FakeCustomer:
    id: int
    email: str | None
    phone: str | None
    first_name: str
    last_name: str
    created_at: datetime
    updated_at: datetime


@dataclass
class FakeLine:
    id: int
    variant_id: int | None
    title: str
    variant_title: str
    sku: str
    quantity: int
    current: int
    price: int
    gift_card: bool = False
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeFulfillment:
    id: int
    created_at: datetime
    company: str
    number: str
    url: str
    line_ids: list[int]
    delivered_at: datetime | None = None
    eta: datetime | None = None
    status: str = "SUCCESS"


@dataclass
class FakeOrder:
    id: int
    name: str
    customer_id: int | None
    created_at: datetime
    updated_at: datetime
    currency: str
    lines: list[FakeLine]
    shipping: dict[str, str]
    tags: list[str] = field(default_factory=list)
    fulfillments: list[FakeFulfillment] = field(default_factory=list)
    cancelled_at: datetime | None = None
    refunded: bool = False
    notes: list[str] = field(default_factory=list)  # staff notes of edits and cancellation
    # The open fulfillment order's status while items remain (tests set IN_PROGRESS, ON_HOLD).
    fo_status: str = "OPEN"
    location: str = "Main warehouse"


@dataclass
class _Edit:
    id: int
    order_id: int
    quantities: dict[int, int]  # line id -> quantity after the edit
    calc_ids: dict[int, int]  # line id -> calculated line id
    added: list[tuple[int, int, int]] = field(default_factory=list)  # (calc id, variant, qty)


def _cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        return int(base64.b64decode(cursor).decode().split(":", 1)[1])
    except (ValueError, IndexError):
        return 0


def connection(
    items: list[Any], first: int | None, after: str | None, render: Any
) -> dict[str, Any]:
    start = _offset(after)
    size = min(first or 50, 250)
    page = items[start : start + size]
    end = start + len(page)
    nodes = [render(i) for i in page]
    return {
        "nodes": nodes,
        "edges": [{"node": n, "cursor": _cursor(start + k + 1)} for k, n in enumerate(nodes)],
        "pageInfo": {
            "hasNextPage": end < len(items),
            "endCursor": _cursor(end) if page else after,
            "hasPreviousPage": start > 0,
            "startCursor": _cursor(start) if page else None,
        },
    }


class FakeShop:
    """One shop's data. Thread-safe: the HTTP server answers on several threads."""

    def __init__(self, domain: str = "fjord-finch.myshopify.com", currency: str = "EUR") -> None:
        self.domain, self.currency, self.name = domain, currency, "Fjord & Finch"
        self.customers: dict[int, FakeCustomer] = {}
        self.products: dict[int, FakeProduct] = {}
        self.variants: dict[int, FakeVariant] = {}
        self.orders: dict[int, FakeOrder] = {}
        self.edits: dict[int, _Edit] = {}
        self.lock = threading.RLock()
        self.refuse_writes: str | None = None  # a userErrors message for every mutation
        self.unbounded = False  # a bulk operation runs: connections are not paged
        self.bulk: dict[int, dict[str, Any]] = {}  # bulk operations: id -> state and result
        self.clock = lambda: datetime.now(UTC)
        self._ids = itertools.count(1000)

    def page(self, items: list[Any], first: int | None, after: str | None, render: Any) -> Any:
        """One page of a connection (every item while a bulk operation runs)."""
        if self.unbounded:
            nodes = [render(i) for i in items]
            edges = [{"node": n, "cursor": _cursor(k + 1)} for k, n in enumerate(nodes)]
            return {"nodes": nodes, "edges": edges, "pageInfo": {"hasNextPage": False}}
        return connection(items, first, after, render)

    def new_id(self) -> int:
        return next(self._ids)

    def touch(self, order: FakeOrder) -> None:
        now = self.clock()
        order.updated_at = max(now, order.updated_at + timedelta(milliseconds=1))

    # -- rendering -------------------------------------------------------------------------

    def customer_node(self, c: FakeCustomer) -> dict[str, Any]:
        return {
            "id": gid("Customer", c.id),
            "email": c.email,
            "phone": c.phone,
            "firstName": c.first_name,
            "lastName": c.last_name,
            "createdAt": iso(c.created_at),
            "updatedAt": iso(c.updated_at),
            "orders": lambda _info, first=None, after=None: self.page(
                sorted(
                    (o for o in self.orders.values() if o.customer_id == c.id),
                    key=lambda o: o.id,
                ),
                first,
                after,
                self.order_node,
            ),
        }

    def variant_node(self, v: FakeVariant) -> dict[str, Any]:
        return {
            "id": gid("ProductVariant", v.id),
            "title": v.title,
            "sku": v.sku,
            "price": money(v.price),
            "inventoryQuantity": v.stock,
            "position": v.position,
            "selectedOptions": [{"name": k, "value": val} for k, val in v.options.items()],
        }

    def product_node(self, p: FakeProduct) -> dict[str, Any]:
        variants = sorted(
            (v for v in self.variants.values() if v.product_id == p.id), key=lambda v: v.position
        )
        return {
            "id": gid("Product", p.id),
            "title": p.title,
            "handle": p.handle,
            "tags": p.tags,
            "updatedAt": iso(p.updated_at),
            "variants": lambda _info, first=None, after=None: self.page(
                variants, first, after, self.variant_node
            ),
        }

    def line_node(self, order: FakeOrder, line: FakeLine) -> dict[str, Any]:
        variant = self.variants.get(line.variant_id) if line.variant_id else None
        product = self.products.get(variant.product_id) if variant else None
        return {
            "id": gid("LineItem", line.id),
            "title": line.title,
            "variantTitle": line.variant_title,
            "sku": line.sku,
            "quantity": line.quantity,
            "currentQuantity": line.current,
            "unfulfilledQuantity": 0
            if any(line.id in f.line_ids for f in order.fulfillments)
            else line.current,
            "isGiftCard": line.gift_card,
            "customAttributes": [{"key": k, "value": v} for k, v in line.attributes.items()],
            "originalUnitPriceSet": {
                "shopMoney": {"amount": money(line.price), "currencyCode": order.currency}
            },
            "variant": self.variant_node(variant) if variant else None,
            "product": self.product_node(product) if product else None,
        }

    def fulfillment_node(self, order: FakeOrder, f: FakeFulfillment) -> dict[str, Any]:
        lines = {line.id: line for line in order.lines}
        return {
            "id": gid("Fulfillment", f.id),
            "status": f.status,
            "displayStatus": "DELIVERED" if f.delivered_at else "IN_TRANSIT",
            "createdAt": iso(f.created_at),
            "deliveredAt": iso(f.delivered_at),
            "estimatedDeliveryAt": iso(f.eta),
            "trackingInfo": lambda _info, first=None: [
                {"company": f.company, "number": f.number, "url": f.url}
            ][: first or 1],
            "fulfillmentLineItems": lambda _info, first=None, after=None: self.page(
                [lines[i] for i in f.line_ids if i in lines],
                first,
                after,
                lambda line: {"quantity": line.quantity, "lineItem": self.line_node(order, line)},
            ),
        }

    def fulfillment_order_node(self, o: FakeOrder) -> dict[str, Any]:
        """One fulfillment order per order (one location): the items still to ship."""
        shipped = {i for f in o.fulfillments for i in f.line_ids}
        gone = o.cancelled_at is not None  # a cancelled one has nothing left to ship
        remaining = {line.id: 0 if gone or line.id in shipped else line.current for line in o.lines}
        if o.cancelled_at is not None:
            status = "CANCELLED"
        elif not any(remaining.values()):
            status = "CLOSED"
        else:
            status = o.fo_status
        return {
            "id": gid("FulfillmentOrder", o.id),
            "status": status,
            "updatedAt": iso(o.updated_at),
            "assignedLocation": {"name": o.location},
            "order": lambda _info: self.order_node(o),
            "lineItems": lambda _info, first=None, after=None: self.page(
                [line for line in o.lines if line.current > 0],
                first,
                after,
                lambda line: {
                    "id": gid("FulfillmentOrderLineItem", line.id),
                    "totalQuantity": line.current,
                    "remainingQuantity": remaining[line.id],
                    "lineItem": self.line_node(o, line),
                },
            ),
        }

    def order_node(self, o: FakeOrder) -> dict[str, Any]:
        customer = self.customers.get(o.customer_id) if o.customer_id else None
        return {
            "id": gid("Order", o.id),
            "name": o.name,
            "createdAt": iso(o.created_at),
            "updatedAt": iso(o.updated_at),
            "cancelledAt": iso(o.cancelled_at),
            "currencyCode": o.currency,
            "tags": o.tags,
            "customer": self.customer_node(customer) if customer else None,
            "shippingAddress": dict(o.shipping) if o.shipping else None,
            "lineItems": lambda _info, first=None, after=None: self.page(
                o.lines, first, after, lambda line: self.line_node(o, line)
            ),
            "fulfillments": lambda _info, first=None: [
                self.fulfillment_node(o, f) for f in o.fulfillments
            ][: first or 250],
            "fulfillmentOrders": lambda _info, first=None, after=None: self.page(
                [o] if o.lines else [], first, after, self.fulfillment_order_node
            ),
        }

    # -- search ----------------------------------------------------------------------------

    @staticmethod
    def matches(record: Any, query: str | None) -> bool:
        """Shopify's search syntax, the terms we use: updated_at:>'…', email:…, phone:…."""
        for name, op, value in _QUERY.findall(query or ""):
            if name == "updated_at":
                when = datetime.fromisoformat(value.replace("Z", "+00:00"))
                if op == ">" and not record.updated_at > when:
                    return False
                if op == "<" and not record.updated_at < when:
                    return False
            elif name in ("email", "phone"):
                have = getattr(record, name, None) or ""
                if have.lower().replace(" ", "") != value.lower().replace(" ", ""):
                    return False
        return True

    def listing(
        self, records: dict[int, Any], query: str | None, sort_key: str | None
    ) -> list[Any]:
        rows = [r for r in records.values() if self.matches(r, query)]
        if sort_key == "UPDATED_AT":
            rows.sort(key=lambda r: (r.updated_at, r.id))
        else:
            rows.sort(key=lambda r: r.id)
        return rows
