"""The embedded store: orders kept in Deskhand's own database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from deskhand.db import models
from deskhand.domain.orders import (
    Address,
    Customer,
    ItemStatus,
    LineItem,
    Order,
    Shipment,
)


def _order(row: models.Order) -> Order:
    return Order(
        id=row.id,
        number=row.number,
        customer_id=row.customer_id,
        placed_at=row.placed_at,
        currency=row.currency,
        cancelled_at=row.cancelled_at,
        shipping_address=Address(**row.shipping_address) if row.shipping_address else None,
        tags=frozenset(row.tags),
        items=tuple(
            LineItem(
                id=i.id,
                title=i.title,
                variant=i.variant,
                quantity=i.quantity,
                unit_price=i.unit_price,
                status=ItemStatus(i.status),
                personalised=i.personalised,
                preorder=i.preorder,
                final_sale=i.final_sale,
                gift_card=i.gift_card,
                shipment_id=i.shipment_id,
            )
            for i in row.items
        ),
        shipments=tuple(
            Shipment(
                id=s.id,
                carrier=s.carrier,
                tracking_number=s.tracking_number,
                tracking_url=s.tracking_url,
                status=s.status,
                shipped_at=s.shipped_at,
                eta=s.eta,
                delivered_at=s.delivered_at,
            )
            for s in row.shipments
        ),
    )


def _customer(row: models.Customer) -> Customer:
    return Customer(row.id, row.email, row.first_name, row.last_name, row.phone)


class EmbeddedStore:
    """Reads one brand's customers and orders; every query is scoped by brand."""

    def __init__(self, session: Session, brand_id: int) -> None:
        self._session = session
        self._brand_id = brand_id

    def customer_by_email(self, email: str) -> Customer | None:
        row = self._session.scalar(
            select(models.Customer).where(
                models.Customer.brand_id == self._brand_id,
                models.Customer.email == email.strip().lower(),
            )
        )
        return _customer(row) if row else None

    def customer(self, customer_id: int) -> Customer | None:
        row = self._session.scalar(
            select(models.Customer).where(
                models.Customer.brand_id == self._brand_id, models.Customer.id == customer_id
            )
        )
        return _customer(row) if row else None

    def _orders(self):  # type: ignore[no-untyped-def]
        return (
            select(models.Order)
            .where(models.Order.brand_id == self._brand_id)
            .options(selectinload(models.Order.items), selectinload(models.Order.shipments))
        )

    def orders_of(self, customer_id: int) -> list[Order]:
        rows = self._session.scalars(
            self._orders()
            .where(models.Order.customer_id == customer_id)
            .order_by(models.Order.placed_at.desc(), models.Order.id.desc())
        )
        return [_order(r) for r in rows]

    def order_of(self, customer_id: int, number: str) -> Order | None:
        row = self._session.scalar(
            self._orders().where(
                models.Order.customer_id == customer_id,
                models.Order.number == number.lstrip("#"),
            )
        )
        return _order(row) if row else None
