"""Orders, line items and shipments as the rules see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class ItemStatus(StrEnum):
    UNFULFILLED = "unfulfilled"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class FulfillmentOrderStatus(StrEnum):
    """Where a shop's plan to ship some items stands (Shopify's FulfillmentOrderStatus)."""

    OPEN = "OPEN"
    SCHEDULED = "SCHEDULED"
    IN_PROGRESS = "IN_PROGRESS"
    ON_HOLD = "ON_HOLD"
    INCOMPLETE = "INCOMPLETE"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"

    @property
    def changeable(self) -> bool:
        """Its items may still be edited: nobody has started picking them."""
        return self in (FulfillmentOrderStatus.OPEN, FulfillmentOrderStatus.SCHEDULED)


class OrderStatus(StrEnum):
    """The order's fulfilment status, derived from its line items."""

    UNFULFILLED = "unfulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Money:
    """An amount in minor units (cents) of one currency."""

    amount: int
    currency: str

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError("cannot add amounts in different currencies")
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError("cannot subtract amounts in different currencies")
        return Money(self.amount - other.amount, self.currency)


@dataclass(frozen=True)
class Shipment:
    id: int
    carrier: str
    tracking_number: str
    tracking_url: str
    status: str  # "in_transit" | "delivered"
    shipped_at: datetime
    eta: date | None = None
    delivered_at: datetime | None = None


@dataclass(frozen=True)
class LineItem:
    id: int
    title: str
    variant: str
    quantity: int
    unit_price: int
    status: ItemStatus
    personalised: bool = False
    preorder: bool = False
    final_sale: bool = False
    gift_card: bool = False
    shipment_id: int | None = None
    variant_id: int | None = None  # the catalogue variant, where the store knows it
    # The warehouse is packing it (or holds it): the store no longer lets anyone change or
    # cancel it, though it has not shipped yet. The store decides this, not the rules.
    in_fulfilment: bool = False


@dataclass(frozen=True)
class Variant:
    """One buyable version of a product (a size and/or a colour) and how many are left."""

    id: int
    product_id: int
    sku: str
    title: str  # "M / Navy"
    size: str | None
    colour: str | None
    price: int  # minor units
    stock: int


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    city: str
    postcode: str
    country: str  # ISO 3166-1 alpha-2


@dataclass(frozen=True)
class Order:
    id: int
    number: str  # digits, without "#"
    customer_id: int
    placed_at: datetime  # aware, UTC
    currency: str
    items: tuple[LineItem, ...]
    shipments: tuple[Shipment, ...] = ()
    cancelled_at: datetime | None = None
    shipping_address: Address | None = None
    tags: frozenset[str] = field(default_factory=frozenset)

    @property
    def status(self) -> OrderStatus:
        if self.cancelled_at is not None:
            return OrderStatus.CANCELLED
        live = [i for i in self.items if i.status != ItemStatus.CANCELLED]
        if not live:
            return OrderStatus.CANCELLED
        if all(i.status == ItemStatus.DELIVERED for i in live):
            return OrderStatus.DELIVERED
        if all(i.status in (ItemStatus.SHIPPED, ItemStatus.DELIVERED) for i in live):
            return OrderStatus.FULFILLED
        if any(i.status in (ItemStatus.SHIPPED, ItemStatus.DELIVERED) for i in live):
            return OrderStatus.PARTIALLY_FULFILLED
        return OrderStatus.UNFULFILLED

    @property
    def delivered_at(self) -> datetime | None:
        """When the last shipment arrived, if every shipment has arrived."""
        times = [s.delivered_at for s in self.shipments]
        if not times or any(t is None for t in times):
            return None
        return max(t for t in times if t is not None)

    @property
    def in_fulfilment_items(self) -> tuple[LineItem, ...]:
        """The live items the warehouse is already packing (or holds): no longer changeable."""
        return tuple(
            i for i in self.items if i.in_fulfilment and i.status == ItemStatus.UNFULFILLED
        )

    def shipment_of(self, item: LineItem) -> Shipment | None:
        return next((s for s in self.shipments if s.id == item.shipment_id), None)

    def total_of(self, items: tuple[LineItem, ...] | list[LineItem]) -> Money:
        return Money(sum(i.unit_price * i.quantity for i in items), self.currency)


@dataclass(frozen=True)
class Customer:
    id: int
    email: str
    first_name: str
    last_name: str
    phone: str | None = None
