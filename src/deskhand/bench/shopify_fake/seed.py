"""What the fake shop holds (the demo catalogue and N generated orders), and the REST-style
webhook payloads Shopify sends."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from deskhand.bench.shopify_fake.shop import (
    FakeCustomer,
    FakeFulfillment,
    FakeLine,
    FakeOrder,
    FakeProduct,
    FakeShop,
    FakeVariant,
    gid,
    iso,
)
from deskhand.commerce.demo import ADDRESSES
from deskhand.commerce.demo_catalogue import CATALOGUE


def _catalogue(shop: FakeShop, now: datetime) -> dict[str, FakeVariant]:
    by_sku: dict[str, FakeVariant] = {}
    for handle, title, price, variants in CATALOGUE:
        product = FakeProduct(shop.new_id(), title, handle, [], now)
        shop.products[product.id] = product
        for pos, (sku, size, colour, stock) in enumerate(variants):
            options = {k: v for k, v in (("Size", size), ("Color", colour)) if v}
            variant = FakeVariant(
                shop.new_id(),
                product.id,
                " / ".join(p for p in (size, colour) if p) or title,
                sku,
                price,
                stock,
                pos,
                options,
            )
            shop.variants[variant.id] = variant
            by_sku[sku] = variant
    return by_sku


def _address(raw: dict[str, str]) -> dict[str, str]:
    first, _, last = raw["name"].partition(" ")
    return {
        "name": raw["name"],
        "firstName": first,
        "lastName": last,
        "address1": raw["line1"],
        "city": raw["city"],
        "zip": raw["postcode"],
        "countryCodeV2": raw["country"],
    }


def generated_shop(orders: int, *, customers: int | None = None, seed: int = 7) -> FakeShop:
    """A shop with `orders` orders (one to four items, a third shipped) for the bench."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    shop = FakeShop()
    variants = list(_catalogue(shop, now).values())
    people = []
    for n in range(customers or max(orders // 4, 1)):
        c = FakeCustomer(
            shop.new_id(), f"shopper{n}@example.com", f"+3161{n:07d}", "Shopper", str(n), now, now
        )
        shop.customers[c.id] = c
        people.append(c.id)
    for n in range(orders):
        placed = now - timedelta(minutes=rng.randint(1, 60 * 24 * 90))
        lines = []
        for variant in rng.sample(variants, rng.randint(1, 4)):
            product = shop.products[variant.product_id]
            quantity = rng.randint(1, 2)
            lines.append(
                FakeLine(
                    shop.new_id(),
                    variant.id,
                    product.title,
                    variant.title,
                    variant.sku,
                    quantity,
                    quantity,
                    variant.price,
                )
            )
        fulfillments = []
        if rng.random() < 0.33:
            fulfillments.append(
                FakeFulfillment(
                    shop.new_id(),
                    placed + timedelta(days=1),
                    "PostNL",
                    f"3SFJF{n:010d}",
                    f"https://example.com/t/{n}",
                    [line.id for line in lines],
                )
            )
        order = FakeOrder(
            shop.new_id(),
            f"#{10000 + n}",
            rng.choice(people),
            placed,
            placed,
            "EUR",
            lines,
            _address(ADDRESSES["ava"]),
            [],
            fulfillments,
        )
        shop.orders[order.id] = order
    return shop


def order_payload(shop: FakeShop, order: FakeOrder) -> dict[str, Any]:
    """The REST-style body of an orders/* webhook (the fields Deskhand reads, and a few)."""
    customer = shop.customers.get(order.customer_id) if order.customer_id else None
    return {
        "id": order.id,
        "admin_graphql_api_id": gid("Order", order.id),
        "name": order.name,
        "email": customer.email if customer else None,
        "created_at": iso(order.created_at),
        "updated_at": iso(order.updated_at),
        "cancelled_at": iso(order.cancelled_at),
        "currency": order.currency,
        "line_items": [
            {
                "id": line.id,
                "admin_graphql_api_id": gid("LineItem", line.id),
                "quantity": line.quantity,
                "title": line.title,
                "sku": line.sku,
            }
            for line in order.lines
        ],
        "customer": {"id": customer.id, "email": customer.email} if customer else None,
    }


def customer_payload(customer: FakeCustomer) -> dict[str, Any]:
    return {
        "id": customer.id,
        "admin_graphql_api_id": gid("Customer", customer.id),
        "email": customer.email,
        "phone": customer.phone,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "updated_at": iso(customer.updated_at),
    }


def fulfillment_payload(order: FakeOrder, fulfillment: FakeFulfillment) -> dict[str, Any]:
    return {
        "id": fulfillment.id,
        "admin_graphql_api_id": gid("Fulfillment", fulfillment.id),
        "order_id": order.id,
        "status": "success",
        "tracking_company": fulfillment.company,
        "tracking_number": fulfillment.number,
        "updated_at": iso(order.updated_at),
    }


def fulfillment_order_payload(order: FakeOrder, status: str) -> dict[str, Any]:
    """The body of a fulfillment_orders/* webhook: the fulfillment order's GID and status
    (lower case, as Shopify sends it), nothing about the order."""
    return {"fulfillment_order": {"id": gid("FulfillmentOrder", order.id), "status": status}}
