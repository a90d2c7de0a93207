"""The demo shop "Fjord & Finch": a few static product pages that embed the widget.

It stands in for a brand's real shop (the agent's "add an item" answer links here); its
catalogue is display-only, so it does not depend on the store's tables.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ShopProduct:
    handle: str  # also the product id the page exposes to the widget
    title: str
    price: int  # euro cents
    blurb: str
    options: tuple[str, ...]
    swatch: str  # a CSS colour for the product's picture


PRODUCTS = (
    ShopProduct(
        "trail-jacket",
        "Trail Jacket",
        18900,
        "A three-layer waterproof shell for wet Nordic days, with taped seams and a hood that "
        "stays put in the wind.",
        ("S", "M", "L", "XL"),
        "#35577a",
    ),
    ShopProduct(
        "fleece-pullover",
        "Fleece Pullover",
        7900,
        "Recycled mid-weight fleece with a half zip: warm on the trail, fine in town.",
        ("S", "M", "L", "XL"),
        "#8a8f96",
    ),
    ShopProduct(
        "merino-beanie",
        "Merino Beanie",
        3500,
        "Soft, itch-free merino wool in a classic ribbed knit.",
        ("Charcoal", "Navy"),
        "#4a4f57",
    ),
    ShopProduct(
        "wool-socks",
        "Wool Socks",
        1900,
        "Cushioned hiking socks in a merino blend, reinforced at heel and toe.",
        ("EU 36-38", "EU 39-42", "EU 43-46"),
        "#a58d6f",
    ),
    ShopProduct(
        "canvas-tote",
        "Canvas Tote",
        4500,
        "Heavy organic canvas with leather handles and an inside pocket.",
        ("Natural",),
        "#d9c9a8",
    ),
    ShopProduct(
        "rain-hat",
        "Rain Hat",
        2900,
        "The fisherman's sou'wester: waxed cotton, wide brim, high visibility.",
        ("Yellow",),
        "#e3b420",
    ),
)


def product(handle: str) -> ShopProduct | None:
    return next((p for p in PRODUCTS if p.handle == handle), None)
