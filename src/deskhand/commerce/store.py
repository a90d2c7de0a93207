"""The Store port: what the agent and the Hub may ask of a brand's shop."""

from __future__ import annotations

from typing import Protocol

from deskhand.domain.orders import Customer, Order


class Store(Protocol):
    def customer_by_email(self, email: str) -> Customer | None: ...

    def customer(self, customer_id: int) -> Customer | None: ...

    def orders_of(self, customer_id: int) -> list[Order]:
        """The customer's orders, newest first."""
        ...

    def order_of(self, customer_id: int, number: str) -> Order | None:
        """The order with this number if, and only if, it belongs to this customer."""
        ...
