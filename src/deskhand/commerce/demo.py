"""The demo store "Fjord & Finch", seeded relative to the moment the demo starts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from deskhand.commerce.demo_catalogue import seed_demo_catalogue
from deskhand.db import models
from deskhand.domain.orders import FulfillmentOrderStatus
from deskhand.domain.policy import PolicyRules, ShippingTime
from deskhand.domain.shipping import ShippingRate

DEMO_SLUG = "demo"
DEMO_LANGUAGES = ["en", "de", "nl", "sv", "fr", "es"]

DEMO_POLICY = PolicyRules(
    change_window=timedelta(hours=2),
    free_cancellation_window=timedelta(hours=2),
    cancellation_fee=500,
    return_window_days=30,
    refund_business_days=5,
    shipping_times=(
        ShippingTime("NL", 1, 2),
        ShippingTime("DE", 1, 2),
        ShippingTime("BE", 1, 2),
        ShippingTime("EU", 3, 5),
    ),
    shipping_rates=(
        ShippingRate("NL", 495, 5000),
        ShippingRate("DE", 495, 5000),
        ShippingRate("BE", 495, 5000),
        ShippingRate("EU", 795, 5000),
    ),
)

ADDRESSES = {
    "ava": {
        "name": "Ava Jansen",
        "line1": "Keizersgracht 12",
        "city": "Amsterdam",
        "postcode": "1015 CS",
        "country": "NL",
    },
    "ben": {
        "name": "Ben Müller",
        "line1": "Torstraße 101",
        "city": "Berlin",
        "postcode": "10119",
        "country": "DE",
    },
    "chloe": {
        "name": "Chloé Lefèvre",
        "line1": "12 rue de la République",
        "city": "Lyon",
        "postcode": "69002",
        "country": "FR",
    },
    "finn": {
        "name": "Finn de Vries",
        "line1": "Oudegracht 150",
        "city": "Utrecht",
        "postcode": "3511 AZ",
        "country": "NL",
    },
}


def _item(
    title: str,
    variant: str,
    sku: str,
    price: int,
    status: str = "unfulfilled",
    quantity: int = 1,
    **flags: bool | int,  # personalised=True …, shipment=<index of the order's shipment>
) -> dict[str, Any]:
    return {
        "title": title,
        "variant": variant,
        "sku": sku,
        "unit_price": price,
        "status": status,
        "quantity": quantity,
        **flags,
    }


def _postnl(code: str, postcode: str) -> str:
    return f"https://jouw.postnl.nl/track-and-trace/{code}-NL-{postcode.replace(' ', '')}"


def _dhl(code: str) -> str:
    return f"https://www.dhl.com/nl-en/home/tracking.html?tracking-id={code}"


def demo_orders(now: datetime) -> list[dict[str, Any]]:
    """Every demo order, with times relative to `now`."""
    today = now.date()

    def ago(**since: float) -> datetime:
        return now - timedelta(**since)

    return [
        {
            "customer": "ava",
            "number": "1001",
            "placed_at": ago(minutes=20),
            "items": [
                _item("Trail Jacket", "M / Navy", "TJ-M-NVY", 18900),
                _item("Merino Beanie", "Charcoal", "MB-CHR", 3500),
            ],
            "shipments": [],
        },
        {
            "customer": "ava",
            "number": "1002",
            "placed_at": ago(minutes=90),
            "items": [
                _item("Trail Jacket", "L / Olive", "TJ-L-OLV", 18900, "shipped", shipment=0),
                _item("Wool Socks", "EU 39-42 / Grey", "WS-3942-GRY", 1900, quantity=2),
            ],
            "shipments": [
                {
                    "carrier": "PostNL",
                    "tracking_number": "3SFJF0012345678",
                    "tracking_url": _postnl("3SFJF0012345678", "1015 CS"),
                    "status": "in_transit",
                    "shipped_at": ago(minutes=30),
                    "eta": today + timedelta(days=1),
                    "delivered_at": None,
                },
            ],
        },
        {
            "customer": "ava",
            "number": "1003",
            "placed_at": ago(days=12, hours=3),
            "items": [
                _item("Canvas Tote", "Natural", "CT-NAT", 4500, "delivered", shipment=0),
            ],
            "shipments": [
                {
                    "carrier": "PostNL",
                    "tracking_number": "3SFJF0011112222",
                    "tracking_url": _postnl("3SFJF0011112222", "1015 CS"),
                    "status": "delivered",
                    "shipped_at": ago(days=11),
                    "eta": (now - timedelta(days=10)).date(),
                    "delivered_at": ago(days=10),
                },
            ],
        },
        {
            "customer": "ben",
            "number": "1004",
            "placed_at": ago(hours=3),
            "items": [
                _item("Trail Jacket", "XL / Black", "TJ-XL-BLK", 18900),
                _item("Wool Socks", "EU 43-46 / Grey", "WS-4346-GRY", 1900),
            ],
            "shipments": [],
        },
        {
            "customer": "ben",
            "number": "1005",
            "placed_at": ago(days=47),
            "items": [
                _item("Fleece Pullover", "M / Grey", "FP-M-GRY", 7900, "delivered", shipment=0),
            ],
            "shipments": [
                {
                    "carrier": "DHL",
                    "tracking_number": "JJD000390007771",
                    "tracking_url": _dhl("JJD000390007771"),
                    "status": "delivered",
                    "shipped_at": ago(days=46),
                    "eta": (now - timedelta(days=45)).date(),
                    "delivered_at": ago(days=45),
                },
            ],
        },
        {
            "customer": "ben",
            "number": "1006",
            "placed_at": ago(minutes=10),
            "items": [
                _item(
                    "Personalised Enamel Mug", "Engraved: BEN", "EM-PERS", 2400, personalised=True
                ),
                _item("Travel Kettle", "Steel", "TK-STL", 5900),
            ],
            "shipments": [],
        },
        {
            "customer": "chloe",
            "number": "1007",
            "placed_at": ago(minutes=30),
            "items": [
                _item(
                    "Expedition Parka",
                    "S / Red (pre-order, ships in March)",
                    "EP-S-RED",
                    34900,
                    preorder=True,
                ),
            ],
            "shipments": [],
            "tags": ["preorder"],
        },
        {
            "customer": "chloe",
            "number": "1008",
            "placed_at": ago(days=5, hours=1),
            "cancelled_at": ago(days=5),
            "items": [
                _item("Rain Hat", "Yellow", "RH-YLW", 2900, "cancelled"),
            ],
            "shipments": [],
        },
        {
            "customer": "chloe",
            "number": "1009",
            "placed_at": ago(days=3),
            "items": [
                _item("Merino Beanie", "Navy", "MB-NVY", 3500, "shipped", shipment=0),
                _item("Wool Socks", "EU 36-38 / Navy", "WS-3638-NVY", 1900, "shipped", shipment=0),
            ],
            "shipments": [
                {
                    "carrier": "DHL",
                    "tracking_number": "JJD000390012345",
                    "tracking_url": _dhl("JJD000390012345"),
                    "status": "in_transit",
                    "shipped_at": ago(days=2),
                    "eta": today + timedelta(days=1),
                    "delivered_at": None,
                },
            ],
        },
        {
            "customer": "chloe",
            "number": "1010",
            "placed_at": ago(days=9),
            "items": [
                _item(
                    "Fleece Pullover",
                    "S / Green (final sale)",
                    "FP-S-GRN",
                    5900,
                    "delivered",
                    shipment=0,
                    final_sale=True,
                ),
                _item("Rain Hat", "Yellow", "RH-YLW", 2900, "delivered", shipment=0),
            ],
            "shipments": [
                {
                    "carrier": "DHL",
                    "tracking_number": "JJD000390054321",
                    "tracking_url": _dhl("JJD000390054321"),
                    "status": "delivered",
                    "shipped_at": ago(days=7),
                    "eta": (now - timedelta(days=5)).date(),
                    "delivered_at": ago(days=5),
                },
            ],
        },
        {  # inside the change window, but the warehouse is already packing it: nothing changes
            "customer": "finn",
            "number": "1012",
            "placed_at": ago(minutes=50),
            "items": [
                _item("Fleece Pullover", "M / Grey", "FP-M-GRY", 7900),
                _item("Rain Hat", "Navy", "RH-NVY", 2900),
            ],
            "shipments": [],
            "packing": "IN_PROGRESS",  # one fulfillment order for its items, being packed
        },
        {  # returned 2 days ago, the refund still pending (the return: returns/demo.py)
            "customer": "ava",
            "number": "1011",
            "placed_at": ago(days=23),
            "items": [
                _item("Hiking Boots", "EU 42 / Brown", "HB-42-BRN", 14900, "delivered", shipment=0),
            ],
            "shipments": [
                {
                    "carrier": "PostNL",
                    "tracking_number": "3SFJF0019876543",
                    "tracking_url": _postnl("3SFJF0019876543", "1015 CS"),
                    "status": "delivered",
                    "shipped_at": ago(days=22),
                    "eta": (now - timedelta(days=20)).date(),
                    "delivered_at": ago(days=20),
                },
            ],
        },
    ]


CUSTOMERS = {
    "ava": ("ava@example.com", "Ava", "Jansen", "+31612345678"),
    "ben": ("ben@example.com", "Ben", "Müller", "+4915112345678"),
    "chloe": ("chloe@example.com", "Chloé", "Lefèvre", "+33612345678"),
    "dan": ("dan@example.com", "Dan", "Svensson", "+46701234567"),
    "finn": ("finn@example.com", "Finn", "de Vries", "+31687654321"),
}


def seed_demo_store(session: Session, now: datetime) -> models.Brand:
    """Create the demo brand, its customers and orders. Call on an empty database."""
    brand = models.Brand(
        slug=DEMO_SLUG,
        name="Fjord & Finch",
        currency="EUR",
        timezone="Europe/Amsterdam",
        languages=DEMO_LANGUAGES,
        default_language="en",
        policy=DEMO_POLICY.to_json(),
        shop_url="/demo/shop",
        created_at=now,
    )
    session.add(brand)
    session.flush()
    customers: dict[str, models.Customer] = {}
    for key, (email, first, last, phone) in CUSTOMERS.items():
        customers[key] = models.Customer(
            brand_id=brand.id,
            email=email,
            first_name=first,
            last_name=last,
            phone=phone,
            created_at=now,
        )
        session.add(customers[key])
    session.flush()
    variants = seed_demo_catalogue(session, brand.id)
    for spec in demo_orders(now):
        cust = spec["customer"]
        order = models.Order(
            brand_id=brand.id,
            customer_id=customers[cust].id,
            number=spec["number"],
            placed_at=spec["placed_at"],
            currency="EUR",
            cancelled_at=spec.get("cancelled_at"),
            shipping_address=ADDRESSES[cust],
            tags=spec.get("tags", []),
        )
        shipments = [models.Shipment(brand_id=brand.id, **s) for s in spec["shipments"]]
        order.shipments = shipments
        session.add(order)
        session.flush()
        for pos, item in enumerate(spec["items"]):
            fields = dict(item)
            ship = fields.pop("shipment", None)
            order.items.append(
                models.LineItem(
                    brand_id=brand.id,
                    position=pos,
                    shipment_id=shipments[ship].id if ship is not None else None,
                    variant_id=variants[fields["sku"]].id,
                    **fields,
                )
            )
        if "packing" in spec:
            session.flush()
            order.fulfillment_orders.append(
                models.FulfillmentOrder(
                    brand_id=brand.id,
                    status=FulfillmentOrderStatus(spec["packing"]).value,
                    location="Fjord & Finch warehouse",
                    line_item_ids=[i.id for i in order.items],
                )
            )
    session.flush()
    return brand
