"""The demo store's catalogue: products and variants (size, colour, price, stock)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from deskhand.db import models

# The catalogue: (handle, title, price, [(sku, size, colour, stock)]). Every demo line item
# points at one of these variants; a few are sold out so the Hub can show it.
CATALOGUE: list[tuple[str, str, int, list[tuple[str, str | None, str | None, int]]]] = [
    (
        "trail-jacket",
        "Trail Jacket",
        18900,
        [
            (f"TJ-{size}-{code}", size, colour, stock)
            for colour, code, stocks in (
                ("Navy", "NVY", {"S": 4, "M": 6, "L": 0, "XL": 2}),
                ("Olive", "OLV", {"S": 3, "M": 5, "L": 4, "XL": 0}),
                ("Black", "BLK", {"S": 7, "M": 8, "L": 6, "XL": 3}),
            )
            for size, stock in stocks.items()
        ],
    ),
    (
        "merino-beanie",
        "Merino Beanie",
        3500,
        [
            ("MB-CHR", None, "Charcoal", 12),
            ("MB-NVY", None, "Navy", 9),
            ("MB-MUS", None, "Mustard", 0),
        ],
    ),
    (
        "wool-socks",
        "Wool Socks",
        1900,
        [
            (f"WS-{code}-{c}", size, colour, stock)
            for colour, c, stocks in (
                ("Grey", "GRY", (20, 25, 0)),
                ("Navy", "NVY", (15, 18, 11)),
            )
            for (size, code), stock in zip(
                (("EU 36-38", "3638"), ("EU 39-42", "3942"), ("EU 43-46", "4346")),
                stocks,
                strict=True,
            )
        ],
    ),
    ("canvas-tote", "Canvas Tote", 4500, [("CT-NAT", None, "Natural", 30)]),
    (
        "fleece-pullover",
        "Fleece Pullover",
        7900,
        [
            ("FP-S-GRY", "S", "Grey", 5),
            ("FP-M-GRY", "M", "Grey", 6),
            ("FP-L-GRY", "L", "Grey", 4),
            ("FP-S-GRN", "S", "Green", 2),
            ("FP-M-GRN", "M", "Green", 0),
        ],
    ),
    ("enamel-mug", "Personalised Enamel Mug", 2400, [("EM-PERS", None, None, 50)]),
    (
        "travel-kettle",
        "Travel Kettle",
        5900,
        [("TK-STL", None, "Steel", 8), ("TK-CPR", None, "Copper", 3)],
    ),
    (
        "expedition-parka",
        "Expedition Parka",
        34900,
        [("EP-S-RED", "S", "Red", 10), ("EP-M-RED", "M", "Red", 10), ("EP-L-RED", "L", "Red", 10)],
    ),
    (
        "rain-hat",
        "Rain Hat",
        2900,
        [("RH-YLW", None, "Yellow", 14), ("RH-NVY", None, "Navy", 6)],
    ),
    (
        "hiking-boots",
        "Hiking Boots",
        14900,
        [
            (f"HB-{size}-BRN", f"EU {size}", "Brown", stock)
            for size, stock in (("40", 3), ("41", 4), ("42", 2), ("43", 5), ("44", 0))
        ],
    ),
]


def seed_demo_catalogue(session: Session, brand_id: int) -> dict[str, models.Variant]:
    """Create the demo products and variants; returns the variants by SKU."""
    by_sku: dict[str, models.Variant] = {}
    for handle, title, price, variants in CATALOGUE:
        product = models.Product(brand_id=brand_id, handle=handle, title=title)
        session.add(product)
        session.flush()
        for pos, (sku, size, colour, stock) in enumerate(variants):
            row = models.Variant(
                brand_id=brand_id,
                product_id=product.id,
                position=pos,
                sku=sku,
                title=" / ".join(p for p in (size, colour) if p) or title,
                size=size,
                colour=colour,
                price=price,
                stock=stock,
            )
            session.add(row)
            by_sku[sku] = row
    session.flush()
    return by_sku
