"""The returns portal in the Hub: choose, preview, confirm, the slip, the staff API moving the
return and the shopper's emails; bad input refused with nothing half-done."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from tests.conftest import SECRET
from tests.hub.shopping import Shopper, csrf_in, latest_message

from deskhand.cli import main
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.integrations import find_integration, secrets_of
from deskhand.domain.vocabulary import IntegrationKind
from deskhand.returns.staff import staff_token

STAFF = {"Authorization": f"Bearer {staff_token(SECRET, 'demo')}"}


def _item_id(page: str, title: str) -> str:
    found = re.search(rf'<h3>{title} .*?name="qty_(\d+)"', page, re.S)
    assert found, f"no quantity field for {title}"
    return found.group(1)


def _preview(shopper: Shopper, number: str, fields: dict[str, str]) -> str:
    page = shopper.get(f"/hub/orders/{number}/return").text
    r = shopper.client.post(
        f"/hub/orders/{number}/return/preview",
        data={"csrf": csrf_in(page), **fields},
        follow_redirects=False,
    )
    assert r.status_code == 200, r.text
    return r.text


def _confirm(shopper: Shopper, number: str, preview: str) -> object:
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', preview))
    return shopper.client.post(f"/hub/orders/{number}/return", data=fields, follow_redirects=False)


def _returns(db: Session, number: str) -> list[models.ReturnRequest]:
    db.rollback()
    return list(
        db.scalars(select(models.ReturnRequest).where(models.ReturnRequest.order_number == number))
    )


def test_start_a_refund_return_end_to_end(ava: Shopper, db: Session, client: TestClient) -> None:
    page = ava.get("/hub/orders/1003/return").text
    tote = _item_id(page, "Canvas Tote")
    preview = _preview(
        ava, "1003", {f"qty_{tote}": "1", "reason": "changed_mind", "resolution": "refund"}
    )
    assert "€45.00" in preview
    assert "free" in preview  # return shipping, as the demo policy says
    done = _confirm(ava, "1003", preview)
    assert done.status_code == 303
    assert done.headers["location"] == "/hub/orders/1003/return#RMA-1003-1"
    [ret] = _returns(db, "1003")
    assert (ret.state, ret.refund_amount, ret.language) == ("requested", 4500, "en")
    shown = ava.get("/hub/orders/1003/return").text
    assert "Your return RMA-1003-1 is registered" in shown
    assert "Already on a return." in shown  # the tote cannot be returned twice
    mail = latest_message(client, "ava@example.com")
    assert mail["subject"] == "Return RMA-1003-1 registered"
    # The slip: a PDF with the RMA number and a QR code image.
    slip = ava.get("/hub/orders/1003/return/RMA-1003-1/slip.pdf")
    assert slip.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(slip.content))
    assert "RMA-1003-1" in reader.pages[0].extract_text()
    assert len(reader.pages[0].images) == 1


def test_double_submit_makes_one_return(ava: Shopper, db: Session) -> None:
    tote = _item_id(ava.get("/hub/orders/1003/return").text, "Canvas Tote")
    preview = _preview(
        ava, "1003", {f"qty_{tote}": "1", "reason": "too_small", "resolution": "store_credit"}
    )
    first, second = _confirm(ava, "1003", preview), _confirm(ava, "1003", preview)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    [ret] = _returns(db, "1003")
    assert ret.store_credit == 4500


def test_exchange_shows_the_variant_and_the_difference(ava: Shopper, db: Session) -> None:
    page = ava.get("/hub/orders/1011/return").text
    assert "Already on a return." in page  # the demo's boots are back already
    assert "RMA-1011-1" in page
    assert "Received" in page


def test_more_than_bought_is_refused_and_nothing_written(ava: Shopper, db: Session) -> None:
    page = ava.get("/hub/orders/1003/return").text
    tote = _item_id(page, "Canvas Tote")
    r = ava.client.post(
        "/hub/orders/1003/return/preview",
        data={
            "csrf": csrf_in(page),
            f"qty_{tote}": "3",
            "reason": "too_small",
            "resolution": "refund",
        },
    )
    assert r.status_code == 422
    assert "You can send back at most 1 of Canvas Tote." in r.text


def test_items_of_another_order_are_refused(ava: Shopper, db: Session) -> None:
    other = _item_id(ava.get("/hub/orders/1003/return").text, "Canvas Tote")
    page = ava.get("/hub/orders/1002/return").text
    r = ava.client.post(
        "/hub/orders/1002/return/preview",
        data={
            "csrf": csrf_in(page),
            f"qty_{other}": "1",
            "reason": "too_small",
            "resolution": "refund",
        },
    )
    assert r.status_code == 422
    assert "That item is not part of this order." in r.text


def test_someone_elses_order_is_not_found(ben: Shopper) -> None:
    assert ben.get("/hub/orders/1003/return").status_code == 404


def test_window_closing_between_preview_and_confirm(ava: Shopper, db: Session) -> None:
    tote = _item_id(ava.get("/hub/orders/1003/return").text, "Canvas Tote")
    preview = _preview(
        ava, "1003", {f"qty_{tote}": "1", "reason": "too_small", "resolution": "refund"}
    )
    db.rollback()
    shipment = db.scalars(
        select(models.Shipment).where(models.Shipment.tracking_number == "3SFJF0011112222")
    ).one()
    shipment.delivered_at -= timedelta(days=25)
    db.commit()
    r = _confirm(ava, "1003", preview)
    assert r.status_code == 409
    assert "has just closed" in r.text
    assert _returns(db, "1003") == []


def test_exchange_end_to_end(shopper: Shopper, db: Session) -> None:
    shopper.sign_in("chloe@example.com")
    page = shopper.get("/hub/orders/1010/return").text
    hat = _item_id(page, "Rain Hat")
    navy = re.search(r'<option value="(\d+)">Navy', page)
    assert navy
    fields = {f"qty_{hat}": "1", f"swap_{hat}": navy.group(1), "reason": "changed_mind"}
    preview = _preview(shopper, "1010", {**fields, "resolution": "exchange"})
    assert "Navy" in preview
    assert "Price difference" in preview
    assert _confirm(shopper, "1010", preview).status_code == 303
    [ret] = _returns(db, "1010")
    assert ret.lines[0].exchange_variant == "Navy"
    assert ret.exchange_difference == 0


def test_staff_move_a_return_through_its_states(
    ava: Shopper, client: TestClient, db: Session
) -> None:
    assert client.get("/api/v1/returns").status_code == 401
    bad = client.get("/api/v1/returns", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert bad.headers["content-type"] == "application/problem+json"
    listed = client.get("/api/v1/returns", headers=STAFF).json()["returns"]
    assert [r["rma"] for r in listed] == ["RMA-1011-1"]
    moved = client.post(
        "/api/v1/returns/RMA-1011-1/state", json={"state": "refunded"}, headers=STAFF
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["state"] == "refunded"
    mail = latest_message(client, "ava@example.com")
    assert mail["subject"] == "Return RMA-1011-1: refunded"
    assert "€149.00" in mail["body"]
    again = client.post(
        "/api/v1/returns/RMA-1011-1/state", json={"state": "refunded"}, headers=STAFF
    )
    assert again.status_code == 200  # nothing changes, nothing is sent twice
    wrong = client.post(
        "/api/v1/returns/RMA-1011-1/state", json={"state": "approved"}, headers=STAFF
    )
    assert wrong.status_code == 409
    page = ava.get("/hub/orders/1011/return").text
    assert "Refunded" in page


def test_rejection_needs_a_reason_and_is_emailed_in_the_shoppers_language(
    client: TestClient, shopper: Shopper, db: Session
) -> None:
    shopper.client.cookies.set("hub_lang", "de")
    shopper.sign_in("ava@example.com")
    tote = _item_id(shopper.get("/hub/orders/1003/return").text, "Canvas Tote")
    preview = _preview(
        shopper, "1003", {f"qty_{tote}": "1", "reason": "too_small", "resolution": "refund"}
    )
    assert _confirm(shopper, "1003", preview).status_code == 303
    url = "/api/v1/returns/RMA-1003-1/state"
    no_reason = client.post(url, json={"state": "rejected"}, headers=STAFF)
    assert no_reason.status_code == 409
    done = client.post(url, json={"state": "rejected", "note": "Getragen"}, headers=STAFF)
    assert done.status_code == 200
    mail = latest_message(client, "ava@example.com")
    assert mail["subject"] == "Rücksendung RMA-1003-1 nicht angenommen"
    assert "Getragen" in mail["body"]
    # Rejected: the tote can be returned again.
    assert "Bereits in einer Rücksendung." not in shopper.get("/hub/orders/1003/return").text


def test_cli_prints_the_staff_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DESKHAND_SECRET_KEY", SECRET)
    assert main(["returns", "token", "--brand", "demo"]) == 0
    assert capsys.readouterr().out.strip() == staff_token(SECRET, "demo")


def test_cli_chooses_the_provider_and_seals_its_keys(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, demo_db: object
) -> None:
    monkeypatch.setenv("DESKHAND_SECRET_KEY", SECRET)
    monkeypatch.setenv("DESKHAND_DATABASE_URL", settings.resolved_database_url())
    assert main(["returns", "provider", "loop", "--brand", "demo"]) == 2  # keys missing
    args = ["--api-key", "k-123", "--webhook-secret", "s-456"]
    assert main(["returns", "provider", "loop", "--brand", "demo", *args]) == 0
    engine = create_engine(settings.resolved_database_url())
    with Session(engine) as db:
        brand = db.scalars(select(models.Brand)).one()
        assert brand.policy["returns_provider"] == "loop"
        row = find_integration(db, brand.id, IntegrationKind.LOOP)
        assert row is not None
        assert "k-123" not in str(row.sealed_secrets)
        assert secrets_of(settings, row) == {"api_key": "k-123", "webhook_secret": "s-456"}
    engine.dispose()
