"""Loop and AfterShip Returns behind the ReturnsProvider port, against a local fake of both:
their own verdict, the deep link into their portal, their failures (500, a timeout), and
their webhooks (signatures verified, replays ignored) mirrored for "where is my refund?"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import Chat, block, text_of
from tests.fakes.fake_returns import AFTERSHIP_KEY, LOOP_KEY, WEBHOOK_SECRET, FakeReturns, sign
from tests.hub.shopping import Shopper, csrf_in
from tests.hub.test_hub_returns import STAFF
from tests.web.test_conversations import action_urls

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.integrations import connect
from deskhand.db.session import make_engine, make_sessionmaker
from deskhand.domain.vocabulary import IntegrationKind
from deskhand.jobs.worker import deliver_due
from deskhand.returns import sync as returns_sync


@pytest.fixture
def fake() -> Iterator[FakeReturns]:
    server = FakeReturns().start()
    yield server
    server.stop()


def _use(session: Session, settings: Settings, fake: FakeReturns, kind: str) -> None:
    brand = session.scalars(select(models.Brand)).one()
    brand.policy = {**brand.policy, "returns_provider": kind}
    if kind == "loop":
        base, key, integration = f"{fake.base}/api/v1", LOOP_KEY, IntegrationKind.LOOP
    else:
        base, key, integration = (
            f"{fake.base}/returns/2025-04",
            AFTERSHIP_KEY,
            IntegrationKind.AFTERSHIP,
        )
    connect(
        session,
        settings,
        brand.id,
        integration,
        config={"base_url": base, "timeout_seconds": 0.5},
        secrets={"api_key": key, "webhook_secret": WEBHOOK_SECRET},
    )
    session.commit()


@pytest.fixture
def loop(session: Session, settings: Settings, fake: FakeReturns) -> FakeReturns:
    _use(session, settings, fake, "loop")
    return fake


@pytest.fixture
def aftership(session: Session, settings: Settings, fake: FakeReturns) -> FakeReturns:
    _use(session, settings, fake, "aftership")
    return fake


def _tote_id(session: Session) -> int:
    """Read, then end the read: an open SQLite read would lock the app's writes out."""
    found = session.scalars(
        select(models.LineItem.id).where(models.LineItem.title == "Canvas Tote")
    ).one()
    session.rollback()
    return found


def _ask(client: TestClient, text: str) -> dict[str, Any]:
    chat = Chat(client, locale="en")
    chat.send(text=text)
    chat.verify("ava@example.com")
    message: dict[str, Any] = chat.last["messages"][0]
    return message


def _events(session: Session) -> list[dict[str, Any]]:
    session.expire_all()
    rows = session.scalars(
        select(models.AnalyticsEvent)
        .where(models.AnalyticsEvent.name == "returns.troubleshooting")
        .order_by(models.AnalyticsEvent.id)
    )
    props = [r.props for r in rows]
    session.rollback()
    return props


def test_loop_links_into_its_portal(client: TestClient, loop: FakeReturns) -> None:
    reply = _ask(client, "I'd like to return the tote bag from order 1003")
    assert reply["meta"]["outcome"] == "routed_to_returns"
    assert action_urls(reply) == ["https://fjord.loopreturns.com/#/1003"]
    listed, linked = loop.requests
    assert listed[1] == "/api/v1/warehouse/return/list"
    assert listed[2]["X-Authorization"] == LOOP_KEY
    assert linked[1:4:2] == (
        "/api/v1/order/deeplink",
        {"order_name": "#1003", "email": "ava@example.com"},
    )


def test_loops_own_verdict_is_the_reason(
    client: TestClient, session: Session, loop: FakeReturns
) -> None:
    loop.loop_returns.append(
        {
            "id": "1673",
            "state": "open",
            "order_name": "#1003",
            "customer": "ava@example.com",
            "line_items": [{"line_item_id": str(_tote_id(session))}],
            "some_new_field": {"loop": "adds fields"},
        }
    )
    reply = _ask(client, "I'd like to return the tote bag from order 1003")
    assert reply["meta"]["outcome"] == "not_eligible"
    assert "Our returns service says Canvas Tote can't be returned." in text_of(reply)
    assert _events(session)[-1]["reasons"] == ["provider"]


def test_loop_down_decides_by_the_rules_and_hands_off_without_a_link(
    client: TestClient, session: Session, loop: FakeReturns
) -> None:
    loop.fail_next += ["slow", 500]  # the list times out, the deep link answers 500
    reply = _ask(client, "I'd like to return the tote bag from order 1003")
    assert reply["meta"]["outcome"] == "handoff_offered"
    assert action_urls(reply) == []
    assert "couldn't get the link" in text_of(reply)
    assert block(reply, "handoff_prompt")
    cases = [(e["case"], e.get("reason")) for e in _events(session)]
    assert ("provider_unreachable", "provider_error") in cases
    assert ("start_link_missing", "provider_error") in cases


def _post(
    client: TestClient,
    path: str,
    payload: dict[str, Any],
    header: str,
    secret: str = WEBHOOK_SECRET,
) -> Any:
    body = json.dumps(payload, separators=(",", ":")).encode()
    return client.post(
        path, content=body, headers={header: sign(secret, body), "Content-Type": "application/json"}
    )


def test_loop_webhooks_are_verified_deduplicated_and_answer_refund_status(
    client: TestClient, session: Session, loop: FakeReturns
) -> None:
    tote = str(_tote_id(session))
    created = {
        "topic": "return",
        "trigger": "return.created",
        "return": {
            "id": "1673",
            "state": "open",
            "order_name": "#1003",
            "customer": "ava@example.com",
            "line_items": [{"line_item_id": tote}],
        },
    }
    path, header = "/webhooks/returns/loop", "X-Loop-Signature"
    forged = _post(client, path, created, header, secret="not-the-secret")
    assert forged.status_code == 401
    assert forged.headers["content-type"] == "application/problem+json"
    first = _post(client, path, created, header)
    assert first.json() == {"status": "created"}
    assert _post(client, path, created, header).json() == {"status": "duplicate"}
    closed = {
        **created,
        "trigger": "return.closed",
        "return": {**created["return"], "state": "closed"},
    }
    assert _post(client, path, closed, header).json() == {"status": "updated"}
    session.expire_all()
    ret = session.scalars(
        select(models.ReturnRequest).where(models.ReturnRequest.provider == "loop")
    ).one()
    assert (ret.rma, ret.state, ret.refund_amount) == ("LOOP-1673", "refunded", 4500)
    assert [e.state for e in ret.events] == ["requested", "refunded"]
    session.rollback()
    reply = _ask(client, "where is my refund for the tote?")
    assert "We refunded €45.00 for your return LOOP-1673" in text_of(reply)


def test_a_webhook_for_someone_elses_order_is_ignored(
    client: TestClient, loop: FakeReturns
) -> None:
    payload = {
        "return": {"id": "9", "state": "open", "order_name": "#1003", "customer": "ben@example.com"}
    }
    r = _post(client, "/webhooks/returns/loop", payload, "X-Loop-Signature")
    assert r.json() == {"status": "unknown_order"}


def test_aftership_verdict_deep_link_and_webhook(
    client: TestClient, session: Session, aftership: FakeReturns
) -> None:
    reply = _ask(client, "I'd like to return the tote bag from order 1003")
    assert action_urls(reply) == ["https://returns.aftership.com/fjord/1003"]
    assert aftership.requests[0][2]["as-api-key"] == AFTERSHIP_KEY
    payload = {
        "event": "return.approved",
        "data": {
            "return": {
                "id": "ret_01",
                "rma_number": "AS-RMA-7",
                "approval_status": "approved",
                "order": {"order_number": "1003"},
                "customer": {"emails": ["ava@example.com"]},
                "return_items": [{"external_order_item_id": str(_tote_id(session)), "quantity": 1}],
            }
        },
    }
    path, header = "/webhooks/returns/aftership", "as-signature-hmac-sha256"
    assert _post(client, path, payload, "X-Loop-Signature").status_code == 401  # wrong header
    assert _post(client, path, payload, header).json() == {"status": "created"}
    assert _post(client, path, payload, header).json() == {"status": "duplicate"}
    # AfterShip now has the tote on a return: its own verdict says no.
    aftership.aftership_returns.append(payload["data"]["return"])
    again = _ask(client, "I'd like to return the tote bag from order 1003")
    assert again["meta"]["outcome"] == "not_eligible"
    status = _ask(client, "where is my refund for the tote?")
    assert "AS-RMA-7" in text_of(status)


def test_the_hub_sends_loop_shoppers_to_loops_portal(loop: FakeReturns, client: TestClient) -> None:
    ava = Shopper(client)
    ava.sign_in("ava@example.com")
    page = ava.get("/hub/orders/1003/return").text
    assert 'href="https://fjord.loopreturns.com/#/1003"' in page
    assert "See what you get back" not in page
    r = ava.client.post(
        "/hub/orders/1003/return/preview",
        data={"csrf": csrf_in(page), "reason": "too_small", "resolution": "refund"},
    )
    assert r.status_code == 409


def test_webhook_without_a_connection_is_not_found(client: TestClient) -> None:
    r = _post(client, "/webhooks/returns/aftership", {"data": {}}, "as-signature-hmac-sha256")
    assert r.status_code == 404


def _outbox(session: Session, kind: str) -> list[models.OutboxMessage]:
    session.expire_all()
    rows = list(
        session.scalars(select(models.OutboxMessage).where(models.OutboxMessage.kind == kind))
    )
    session.expunge_all()  # keep what was read, and end the read (SQLite would lock the app)
    session.rollback()
    return rows


def test_staff_decisions_reach_aftership_through_the_outbox_with_retries(
    client: TestClient, session: Session, settings: Settings, aftership: FakeReturns
) -> None:
    payload = {
        "data": {
            "id": "ret_02",
            "rma_number": "AS-RMA-8",
            "approval_status": "submitted",
            "order": {"order_number": "1003"},
            "customer": {"email": "ava@example.com"},
        }
    }
    path = "/webhooks/returns/aftership"
    assert _post(client, path, payload, "as-signature-hmac-sha256").json() == {"status": "created"}
    moved = client.post(
        "/api/v1/returns/AS-RMA-8/state",
        json={"state": "approved", "note": "ok"},
        headers=STAFF,
    )
    assert moved.status_code == 200, moved.text
    [queued] = _outbox(session, "returns_provider")
    assert queued.payload == {"provider": "aftership", "ref": "ret_02", "state": "approved"}
    sessions = make_sessionmaker(make_engine(settings.resolved_database_url()))
    transports = returns_sync.transports(settings, sessions)
    aftership.fail_next.append(500)
    later = datetime.now(UTC) + timedelta(hours=1)
    assert deliver_due(sessions, transports, settings)[queued.id] == "retry"
    assert deliver_due(sessions, transports, settings, lambda: later)[queued.id] == "sent"
    calls = [(m, p, b) for m, p, _, b in aftership.requests if p.endswith("/approve")]
    assert (
        calls == [("POST", "/returns/2025-04/returns/ret_02/approve", {"merchant_note": "ok"})] * 2
    )
    # The same decision again changes nothing and queues nothing.
    client.post("/api/v1/returns/AS-RMA-8/state", json={"state": "approved"}, headers=STAFF)
    assert len(_outbox(session, "returns_provider")) == 1


def test_a_refused_provider_call_fails_for_good(
    client: TestClient, session: Session, settings: Settings, loop: FakeReturns
) -> None:
    created = {
        "return": {
            "id": "77",
            "state": "open",
            "order_name": "#1003",
            "customer": "ava@example.com",
        }
    }
    _post(client, "/webhooks/returns/loop", created, "X-Loop-Signature")
    client.post("/api/v1/returns/LOOP-77/state", json={"state": "approved"}, headers=STAFF)
    assert _outbox(session, "returns_provider") == []  # Loop has no "approve": nothing to send
    client.post(
        "/api/v1/returns/LOOP-77/state", json={"state": "rejected", "note": "worn"}, headers=STAFF
    )
    [queued] = _outbox(session, "returns_provider")
    loop.fail_next.append(422)
    sessions = make_sessionmaker(make_engine(settings.resolved_database_url()))
    done = deliver_due(sessions, returns_sync.transports(settings, sessions), settings)
    assert done[queued.id] == "failed"
    [row] = _outbox(session, "returns_provider")
    assert "422" in (row.last_error or "")


def test_the_hub_says_so_when_loop_is_down(loop: FakeReturns, client: TestClient) -> None:
    ava = Shopper(client)
    ava.sign_in("ava@example.com")
    loop.fail_next.append(503)
    page = ava.get("/hub/orders/1003/return")
    assert page.status_code == 200
    assert "Our returns service is not answering right now." in page.text
    assert "loopreturns.com" not in page.text
