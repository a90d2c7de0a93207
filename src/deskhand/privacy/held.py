"""Which rows are about one shopper: found by their email or phone, through the Store port."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.commerce.registry import store_for
from deskhand.commerce.store import Store
from deskhand.db import models
from deskhand.domain.contact import normalise_email, normalise_phone
from deskhand.domain.orders import Customer

ERASED = "erased"  # what an erased address column holds afterwards


class Reason(StrEnum):
    """Why a conversation was redacted."""

    ERASURE = "erasure"  # the shopper asked to be forgotten
    RETENTION = "retention"  # older than the brand keeps transcripts


@dataclass(frozen=True)
class Held:
    """One shopper as Deskhand knows them: addresses, the customer (if any), conversations."""

    brand: models.Brand
    store: Store
    addresses: frozenset[str]
    customer: Customer | None
    conversation_ids: tuple[str, ...]


def find_held(session: Session, brand: models.Brand, raw_address: str) -> Held | None:
    """The shopper with this email or phone (E.164); None when it is neither."""
    email, phone = normalise_email(raw_address), normalise_phone(raw_address)
    if email is None and phone is None:
        return None
    store = store_for(session, brand)
    customer = store.customer_by_email(email) if email else store.customer_by_phone(phone or "")
    addresses = {a for a in (email, phone) if a}
    if customer is not None:
        addresses |= {a for a in (customer.email, normalise_phone(customer.phone)) if a}
    found: set[str] = set()
    if customer is not None:
        found |= set(
            session.scalars(
                select(models.Conversation.id).where(
                    models.Conversation.brand_id == brand.id,
                    models.Conversation.customer_id == customer.id,
                )
            )
        )
    found |= set(
        session.scalars(
            select(models.ConversationAddress.conversation_id).where(
                models.ConversationAddress.brand_id == brand.id,
                models.ConversationAddress.address.in_(addresses),
            )
        )
    )
    found |= {
        conv_id
        for conv_id in session.scalars(
            select(models.VerificationCode.conversation_id).where(
                models.VerificationCode.brand_id == brand.id,
                models.VerificationCode.address.in_(addresses),
            )
        )
        if conv_id is not None
    }
    found |= set(  # the address a web chat shopper gave for a handoff
        session.scalars(
            select(models.HelpdeskTicket.conversation_id).where(
                models.HelpdeskTicket.brand_id == brand.id,
                models.HelpdeskTicket.shopper_email.in_(addresses),
            )
        )
    )
    return Held(brand, store, frozenset(addresses), customer, tuple(sorted(found)))
