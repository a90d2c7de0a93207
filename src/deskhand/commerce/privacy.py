"""Erasing a shopper from the commerce data Deskhand itself holds (the embedded store).

Orders stay (a brand must keep its sales records, and metrics count them) but lose what
identifies the person: the customer's email, phone and name, and each order's street,
postcode, city and recipient name (the country stays, for anonymous figures). A brand on an
external shop system erases the customer there; Deskhand holds no copy of that store.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.commerce.registry import StoreKind
from deskhand.db import models

ERASED_DOMAIN = "erased.invalid"  # RFC 2606: never deliverable


def erased_email(customer_id: int) -> str:
    return f"erased-{customer_id}@{ERASED_DOMAIN}"


def forget_customer(session: Session, brand: models.Brand, customer_id: int) -> bool:
    """Remove the customer's personal fields from the embedded store; False when the brand's
    store is elsewhere (or the customer is unknown) and nothing here was changed."""
    if brand.store_kind != StoreKind.EMBEDDED.value:
        return False
    customer = session.scalar(
        select(models.Customer).where(
            models.Customer.brand_id == brand.id, models.Customer.id == customer_id
        )
    )
    if customer is None:
        return False
    customer.email = erased_email(customer.id)
    customer.phone = None
    customer.first_name, customer.last_name = "", ""
    orders = session.scalars(
        select(models.Order).where(
            models.Order.brand_id == brand.id, models.Order.customer_id == customer_id
        )
    )
    for order in orders:
        country = (order.shipping_address or {}).get("country", "")
        order.shipping_address = {
            "name": "",
            "line1": "",
            "city": "",
            "postcode": "",
            "country": country,
        }
    session.flush()
    return True
