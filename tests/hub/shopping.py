"""A shopper driving the Hub's forms through the app, and small helpers on the database."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from deskhand.db import models

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_in(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def latest_message(client: TestClient, to: str) -> dict[str, Any]:
    messages = client.get("/api/v1/dev/outbox", params={"to": to}).json()["messages"]
    assert messages, f"nothing was sent to {to}"
    message: dict[str, Any] = messages[0]
    return message


def code_in(message: dict[str, Any]) -> str:
    found = re.search(r"\b\d{6}\b", message["body"])
    assert found
    return found.group(0)


def link_in(message: dict[str, Any]) -> str:
    found = re.search(r"https?://\S+/hub/sign-in/link\?\S+", message["body"])
    assert found
    return found.group(0)


class Shopper:
    """One browser on the Hub: its cookies live in its own TestClient."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.client.get(path, follow_redirects=False, **kw)

    def form(self, page: str, action: str, data: dict[str, str]) -> httpx.Response:
        """Open `page`, take its CSRF token, post `data` to `action` (no redirects followed)."""
        html = self.client.get(page).text
        return self.client.post(
            action, data={"csrf": csrf_in(html), **data}, follow_redirects=False
        )

    def ask_code(self, address: str, next_path: str = "/hub") -> httpx.Response:
        return self.form(
            f"/hub/sign-in?next={next_path}",
            "/hub/sign-in",
            {"address": address, "next": next_path},
        )

    def enter_code(self, code: str) -> httpx.Response:
        return self.form("/hub/sign-in/code", "/hub/sign-in/code", {"code": code})

    def sign_in(self, email: str, next_path: str = "/hub") -> httpx.Response:
        asked = self.ask_code(email, next_path)
        assert asked.status_code == 303, asked.text
        done = self.enter_code(code_in(latest_message(self.client, email)))
        assert done.status_code == 303, done.text
        return done


def move_order_back(db: Session, number: str, by: timedelta) -> None:
    """Make an order older, as if the shopper had kept the page open that long."""
    db.rollback()
    order = db.scalar(select(models.Order).where(models.Order.number == number))
    assert order is not None
    db.execute(
        update(models.Order)
        .where(models.Order.id == order.id)
        .values(placed_at=order.placed_at - by)
    )
    db.commit()


def order_row(db: Session, number: str) -> models.Order:
    db.rollback()
    order = db.scalar(select(models.Order).where(models.Order.number == number))
    assert order is not None
    return order


def ago(now: datetime, **kw: float) -> datetime:
    return now - timedelta(**kw)


def shift_times(db: Session, model: type, by: timedelta, *columns: str) -> None:
    """Move these time columns of every row back by `by` (time passing, without waiting)."""
    db.rollback()
    for row in db.scalars(select(model)):
        for column in columns:
            setattr(row, column, getattr(row, column) - by)
    db.commit()
