"""The embedded store: orders kept in Deskhand's own database."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session, selectinload

from deskhand.commerce.packing import locked_by_order, locked_items
from deskhand.commerce.store import StoreRefused
from deskhand.db import models
from deskhand.db.models import Variant as VariantRow
from deskhand.domain.catalogue import CatalogueProduct
from deskhand.domain.contact import normalise_email, normalise_phone
from deskhand.domain.orders import (
    Address,
    Customer,
    ItemStatus,
    LineItem,
    Order,
    Shipment,
    Variant,
)


def _order(row: models.Order, locked: frozenset[int] = frozenset()) -> Order:
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
                variant_id=i.variant_id,
                in_fulfilment=i.id in locked and i.status == ItemStatus.UNFULFILLED.value,
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


def _variant(row: VariantRow) -> Variant:
    return Variant(
        id=row.id,
        product_id=row.product_id,
        sku=row.sku,
        title=row.title,
        size=row.size,
        colour=row.colour,
        price=row.price,
        stock=row.stock,
    )


def _customer(row: models.Customer) -> Customer:
    return Customer(row.id, row.email, row.first_name, row.last_name, row.phone)


class EmbeddedStore:
    """The Store port on Deskhand's own tables; every query is scoped by brand."""

    def __init__(self, session: Session, brand_id: int) -> None:
        self._session = session
        self._brand_id = brand_id

    def customer_by_email(self, email: str) -> Customer | None:
        address = normalise_email(email)
        if address is None:
            return None
        row = self._session.scalar(
            select(models.Customer).where(
                models.Customer.brand_id == self._brand_id,
                func.lower(models.Customer.email) == address,
            )
        )
        return _customer(row) if row else None

    def customer_by_phone(self, phone: str) -> Customer | None:
        """The one customer with this number, stored in any common format; None if 0 or 2+."""
        number = normalise_phone(phone)
        if number is None:
            return None
        # Stored numbers are free text ("+31 6 …", "0031…"): narrow by the last digits, then
        # compare normalised.
        rows = self._session.scalars(
            select(models.Customer).where(
                models.Customer.brand_id == self._brand_id,
                models.Customer.phone.like(f"%{number[-2:]}"),
            )
        )
        found = [r for r in rows if normalise_phone(r.phone) == number]
        return _customer(found[0]) if len(found) == 1 else None

    def customer(self, customer_id: int) -> Customer | None:
        row = self._session.scalar(
            select(models.Customer).where(
                models.Customer.brand_id == self._brand_id, models.Customer.id == customer_id
            )
        )
        return _customer(row) if row else None

    def _orders(self) -> Select[models.Order]:
        return (
            select(models.Order)
            .where(models.Order.brand_id == self._brand_id)
            .options(selectinload(models.Order.items), selectinload(models.Order.shipments))
        )

    def _locked(self, order_ids: list[int]) -> dict[int, frozenset[int]]:
        """Per order, the items the warehouse is packing or holds."""
        return locked_by_order(self._session, self._brand_id, order_ids)

    def orders_of(self, customer_id: int) -> list[Order]:
        rows = self._session.scalars(
            self._orders()
            .where(models.Order.customer_id == customer_id)
            .order_by(models.Order.placed_at.desc(), models.Order.id.desc())
        ).all()
        locked = self._locked([r.id for r in rows])
        return [_order(r, locked[r.id]) for r in rows]

    def order_of(self, customer_id: int, number: str) -> Order | None:
        """The order, each item saying whether the warehouse is already packing it."""
        row = self._session.scalar(
            self._orders().where(
                models.Order.customer_id == customer_id,
                models.Order.number == number.lstrip("#"),
            )
        )
        return _order(row, self._locked([row.id])[row.id]) if row else None

    # -- catalogue -----------------------------------------------------------------------

    def variant(self, variant_id: int) -> Variant | None:
        row = self._session.scalar(
            select(VariantRow)
            .where(VariantRow.brand_id == self._brand_id, VariantRow.id == variant_id)
            .execution_options(populate_existing=True)
        )
        return _variant(row) if row else None

    def products(self) -> list[CatalogueProduct]:
        rows = self._session.scalars(
            select(models.Product)
            .where(models.Product.brand_id == self._brand_id)
            .order_by(models.Product.id)
            .options(selectinload(models.Product.variants))
        )
        return [CatalogueProduct(r.id, r.title, tuple(v.title for v in r.variants)) for r in rows]

    def variants_of(self, product_id: int) -> list[Variant]:
        rows = self._session.scalars(
            select(VariantRow)
            .where(VariantRow.brand_id == self._brand_id, VariantRow.product_id == product_id)
            .order_by(VariantRow.position, VariantRow.id)
            .execution_options(populate_existing=True)  # stock moves by UPDATE statements
        )
        return [_variant(r) for r in rows]

    # -- changes -------------------------------------------------------------------------

    def _order_row(self, order_id: int) -> models.Order:
        row = self._session.scalar(
            select(models.Order)
            .where(models.Order.brand_id == self._brand_id, models.Order.id == order_id)
            .with_for_update()
        )
        if row is None:
            raise StoreRefused("not_found")
        return row

    def _item_row(self, order_id: int, item_id: int) -> models.LineItem:
        order = self._order_row(order_id)
        item = next((i for i in order.items if i.id == item_id), None)
        if item is None:
            raise StoreRefused("not_found")
        return item

    def _take_stock(self, variant_id: int, quantity: int) -> None:
        """Reserve stock with a conditional update, so two buyers cannot take the last one."""
        if quantity <= 0:
            self._put_back_stock(variant_id, -quantity)
            return
        taken = self._session.execute(
            update(VariantRow)
            .where(
                VariantRow.brand_id == self._brand_id,
                VariantRow.id == variant_id,
                VariantRow.stock >= quantity,
            )
            .values(stock=VariantRow.stock - quantity)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult
            raise StoreRefused("out_of_stock")

    def _put_back_stock(self, variant_id: int | None, quantity: int) -> None:
        if variant_id is None or quantity == 0:
            return
        self._session.execute(
            update(VariantRow)
            .where(VariantRow.brand_id == self._brand_id, VariantRow.id == variant_id)
            .values(stock=VariantRow.stock + quantity)
            .execution_options(synchronize_session=False)
        )

    def _not_in_fulfilment(self, order_id: int, item_ids: list[int]) -> None:
        """Refuse to touch items the warehouse already packs (or holds), whatever the caller
        checked before: the lock may have come a moment ago."""
        if locked_items(self._session, self._brand_id, order_id) & set(item_ids):
            raise StoreRefused("in_fulfilment")

    def swap_variant(self, order_id: int, item_id: int, variant_id: int) -> None:
        item = self._item_row(order_id, item_id)
        new = self._session.scalar(
            select(VariantRow).where(
                VariantRow.brand_id == self._brand_id, VariantRow.id == variant_id
            )
        )
        old = self._session.get(VariantRow, item.variant_id) if item.variant_id else None
        if new is None or old is None or new.product_id != old.product_id:
            raise StoreRefused("not_found")
        if new.id == old.id:
            return
        self._not_in_fulfilment(order_id, [item_id])
        self._take_stock(new.id, item.quantity)
        self._put_back_stock(old.id, item.quantity)
        item.variant_id, item.variant, item.sku = new.id, new.title, new.sku
        self._session.flush()

    def change_quantity(self, order_id: int, item_id: int, quantity: int) -> None:
        item = self._item_row(order_id, item_id)
        if quantity < 1:
            raise StoreRefused("not_found")
        self._not_in_fulfilment(order_id, [item_id])
        delta = quantity - item.quantity
        if item.variant_id is not None:
            self._take_stock(item.variant_id, delta)
        item.quantity = quantity
        self._session.flush()

    def change_address(self, order_id: int, address: Address) -> None:
        order = self._order_row(order_id)
        order.shipping_address = asdict(address)
        self._session.flush()

    def cancel(self, order_id: int, item_ids: list[int], now: datetime) -> None:
        order = self._order_row(order_id)
        wanted = {
            i.id
            for i in order.items
            if i.id in set(item_ids) and i.status == ItemStatus.UNFULFILLED.value
        }
        self._not_in_fulfilment(order_id, sorted(wanted))
        for item in order.items:
            if item.id in wanted:
                item.status = ItemStatus.CANCELLED.value
                self._put_back_stock(item.variant_id, item.quantity)
        if all(i.status == ItemStatus.CANCELLED.value for i in order.items):
            order.cancelled_at = now
        self._session.flush()
