"""Isolation, proven for every route of the app's route table.

Each route in `routes.GUARDS` is tried with each attack its guard lists, aimed at Ava's data
(her verified conversation, her order #1001): as a stranger, as Ben (another shopper), with a
token of another brand's conversation, with an unknown id, signed out, with an expired
session, with a hand-off token already used, without the CSRF token, unsigned (webhooks),
outside demo mode (the dev outbox). The answer must be the refusal the guard promises and its
body must hold none of Ava's data. A route missing from the table fails the suite.

Runs on SQLite only: what is checked here is routing and guards, not the database.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session
from starlette.websockets import WebSocketDisconnect

from deskhand.agent.launch import set_live
from deskhand.config import Settings
from deskhand.db import models
from deskhand.domain.vocabulary import TeamRole
from deskhand.returns.staff import staff_token
from deskhand.web.app import create_app
from tests.conftest import SECRET, Chat, block
from tests.console.team_members import PASSWORD, Member, add
from tests.helpdesk.inbox_fixtures import hand_to_inbox
from tests.hub.shopping import Shopper, csrf_in
from tests.security.routes import (
    ATTACKS,
    GUARDS,
    PATH_VALUES,
    WEBSOCKET,
    Attack,
    Guard,
    cases,
    served_routes,
)

AVA_DATA = ("ava@example.com", "Jansen", "Keizersgracht", "612345678", "#1001", "as Ava")
CHANNELS = {
    "twilio_account_sid": "AC" + "0" * 32,
    "twilio_auth_token": "twilio-token",
    "twilio_from": "+15005550006",
    "mailgun_signing_key": "mailgun-key",
    "sendgrid_inbound_secret": "the-right-secret",
}


@pytest.fixture
def db_url(tmp_path: Path, sqlite_template: Path) -> str:
    target = tmp_path / "deskhand.db"
    shutil.copy(sqlite_template, target)
    return f"sqlite:///{target}"


@dataclass
class Seen:
    """What an attack got back: a status (or a socket's close code) and the body."""

    status: int
    body: str
    location: str = ""


@dataclass
class World:
    """The app with every channel switched on, and Ava's things to attack, made on demand."""

    client: TestClient
    engine: Engine
    settings: Settings
    browsers: list[TestClient] = field(default_factory=list)

    def browser(self) -> Shopper:
        c = TestClient(self.client.app)
        self.browsers.append(c)
        return Shopper(c)

    @cached_property
    def ava_chat(self) -> Chat:
        """Ava's verified conversation: the agent showed her order #1001 with a Hub link."""
        chat = Chat(self.client, locale="en")
        chat.send(text="I'd like to cancel order #1001")
        chat.verify("ava@example.com")
        return chat

    @cached_property
    def ava_ticket(self) -> int:
        """Ava's conversation handed to the team's inbox."""
        with Session(self.engine) as db:
            return hand_to_inbox(db, self.ava_chat.id, email="ava@example.com")

    @cached_property
    def ben_chat(self) -> Chat:
        return Chat(self.client, locale="en")

    def team_member(self, role: TeamRole) -> Member:
        """A signed-in member of the demo brand's team with this role, in a browser of its own."""
        member = Member(self.browser().client)
        if role is TeamRole.OWNER:
            assert member.sign_in().status_code == 303
            return member
        email = f"{role.value}-{uuid.uuid4().hex[:6]}@fjordfinch.example"
        with Session(self.engine) as db:
            add(db, email, role, datetime.now(UTC))
        assert member.sign_in(email, PASSWORD).status_code == 303
        return member

    def other_brand_slug(self) -> str:
        """The second brand's slug (made with its first conversation)."""
        assert self.other_brand_chat.id
        return "other"

    @cached_property
    def other_brand_chat(self) -> Chat:
        with Session(self.engine) as db:
            demo = db.scalars(select(models.Brand)).first()
            assert demo is not None
            other = models.Brand(
                slug="other",
                name="Other Brand",
                currency="EUR",
                timezone=demo.timezone,
                languages=demo.languages,
                default_language="en",
                policy=demo.policy,
                created_at=datetime.now(UTC),
            )
            db.add(other)
            db.flush()
            set_live(db, other.id, True, datetime.now(UTC))  # published: it takes web chats
            db.commit()
        r = self.client.post("/api/v1/conversations", json={"channel": "webchat", "brand": "other"})
        assert r.status_code == 201
        chat = Chat.__new__(Chat)
        chat.client, chat.id, chat.token, chat.last = (
            self.client,
            r.json()["id"],
            r.json()["token"],
            {},
        )
        return chat

    @cached_property
    def used_handoff(self) -> str:
        """The `t` of Ava's Hub link, already traded for a session by Ava's browser."""
        url = block(self.ava_chat.last["messages"][0], "order_card")["actions"][0]["url"]
        parts = urlsplit(url)
        assert self.browser().get(f"{parts.path}?{parts.query}").status_code == 303
        token = dict(p.split("=", 1) for p in parts.query.split("&"))["t"]
        return token

    def signed_in(self, email: str) -> Shopper:
        shopper = self.browser()
        shopper.sign_in(email)
        return shopper

    def expire_sessions(self) -> None:
        with Session(self.engine) as db:
            db.execute(
                update(models.HubSession).values(
                    expires_at=datetime.now(UTC) - timedelta(minutes=1)
                )
            )
            db.commit()


@pytest.fixture
def world(settings: Settings, demo_db: Engine) -> Any:
    full = settings.model_copy(update=CHANNELS)
    with TestClient(create_app(full)) as client:
        w = World(client, demo_db, full)
        yield w
        for c in w.browsers:
            c.close()


def concrete(path: str, world: World) -> str:
    if "{position}" in path:
        path = path.replace("{number}", "1002")  # Ava's order with a shipment
    if "{rma}" in path:
        path = path.replace("{number}", "1011")  # Ava's order with a return
    for name, value in PATH_VALUES.items():
        path = path.replace(f"{{{name}:path}}", value).replace(f"{{{name}}}", value)
    if "{ticket_id}" in path:
        path = path.replace("{ticket_id}", str(world.ava_ticket))
    if "{conversation_id}" in path:
        path = path.replace("{conversation_id}", world.ava_chat.id)
    return path


def http(shopper_or_client: Shopper | TestClient, method: str, path: str, **kw: Any) -> Seen:
    c = shopper_or_client.client if isinstance(shopper_or_client, Shopper) else shopper_or_client
    r = c.request(method, path, follow_redirects=False, **kw)
    return Seen(r.status_code, r.text, r.headers.get("location", ""))


def socket(world: World, path: str, token: str | None) -> Seen:
    frames: list[Any] = []
    with world.client.websocket_connect(path) as ws:
        ws.send_json({"token": token or ""})
        with pytest.raises(WebSocketDisconnect) as closed:
            read_until_closed(ws, frames)
    return Seen(closed.value.code, json.dumps(frames))


def read_until_closed(ws: Any, frames: list[Any]) -> None:
    while True:
        frames.append(ws.receive_json())


def bearer(world: World, method: str, path: str, attack: Attack) -> Seen:
    token = {
        Attack.NO_TOKEN: None,
        Attack.WRONG_SHOPPER: world.ben_chat.token,
        Attack.WRONG_BRAND: world.other_brand_chat.token,
        Attack.UNKNOWN: world.ava_chat.token,
    }[attack]
    if attack is Attack.UNKNOWN:
        path = path.replace(world.ava_chat.id, str(uuid.uuid4()))
    if method == WEBSOCKET:
        return socket(world, path, token)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"json": {"text": "show me my orders"}} if method == "POST" else {}
    return http(world.client, method, path, headers=headers, **body)


def hub(world: World, method: str, path: str, attack: Attack) -> Seen:
    if attack is Attack.SIGNED_OUT:
        return http(world.browser(), method, path, data={})
    if attack is Attack.WRONG_SHOPPER:
        ben = world.signed_in("ben@example.com")
        csrf = csrf_in(ben.client.get("/hub").text)
        return http(ben, method, path, data={"csrf": csrf} if method == "POST" else None)
    if attack is Attack.EXPIRED:
        ava = world.signed_in("ava@example.com")
        csrf = csrf_in(ava.client.get("/hub").text)
        world.expire_sessions()
        return http(ava, method, path, data={"csrf": csrf} if method == "POST" else None)
    if attack is Attack.REUSED:
        return http(world.browser(), method, f"{path}?t={world.used_handoff}")
    if attack is Attack.NO_CSRF:
        return http(world.signed_in("ava@example.com"), method, path, data={"next": "/hub"})
    raise AssertionError(attack)


CONSOLE_GUARDS = (
    Guard.CONSOLE_PAGE,
    Guard.CONSOLE_FORM,
    Guard.CONSOLE_ANSWER,
    Guard.CONSOLE_EDITOR_PAGE,
    Guard.CONSOLE_USE,
    Guard.CONSOLE_VISITOR,
)


def console(world: World, method: str, path: str, attack: Attack) -> Seen:
    form = {"email": "ava@example.com", "role": "owner", "title": "x", "body": "x"}
    if attack is Attack.SIGNED_OUT:
        return http(world.browser(), method, path, data=form if method == "POST" else None)
    if attack is Attack.WRONG_SHOPPER:
        ava = world.signed_in("ava@example.com")
        csrf = csrf_in(ava.client.get("/hub").text)
        return http(ava, method, path, data={"csrf": csrf, **form} if method == "POST" else None)
    if attack is Attack.VIEWER:
        viewer = world.team_member(TeamRole.VIEWER)
        return http(viewer.client, method, path, data={"csrf": viewer.csrf(), **form})
    if attack is Attack.NO_CSRF:
        owner = (
            world.team_member(TeamRole.OWNER)
            if GUARDS[(method, _route(path))] is not (Guard.CONSOLE_VISITOR)
            else Member(world.browser().client)
        )
        return http(owner.client, method, path, data=form)
    raise AssertionError(attack)


def console_socket(world: World, path: str, attack: Attack) -> Seen:
    """The inbox's socket opened without a team session (none, or a shopper's Hub one)."""
    client = world.browser() if attack is Attack.SIGNED_OUT else world.signed_in("ava@example.com")
    frames: list[Any] = []
    with client.client.websocket_connect(path) as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            read_until_closed(ws, frames)
    return Seen(closed.value.code, json.dumps(frames))


def _route(path: str) -> str:
    """The route template a concrete console path came from."""
    templates = [template for _method, template in GUARDS]
    if path in templates:
        return path
    for template in templates:
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if template.startswith("/admin") and re.match(pattern, path):
            return template
    raise AssertionError(path)


def attempt(world: World, method: str, path: str, attack: Attack) -> Seen:
    guard = GUARDS[(method, path)]
    target = concrete(path, world)
    if guard in (Guard.BEARER, Guard.SOCKET):
        return bearer(world, method, target, attack)
    if guard in CONSOLE_GUARDS:
        return console(world, method, target, attack)
    if guard is Guard.CONSOLE_SOCKET:
        return console_socket(world, target, attack)
    if guard is Guard.STAFF:
        token = {
            Attack.NO_TOKEN: "",
            Attack.WRONG_SHOPPER: world.ava_chat.token,
            Attack.WRONG_BRAND: staff_token(world.settings.secret_key, world.other_brand_slug()),
        }[attack]
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = {"json": {"state": "approved"}} if method == "POST" else {}
        return http(world.client, method, target, headers=headers, **body)
    if guard in (Guard.DOCS, Guard.VISITOR_PAGE):
        return http(world.browser(), method, target)
    if guard in (Guard.OPEN, Guard.DEV):
        # A production install (the demo's start page lists its personas on purpose).
        closed = world.settings.model_copy(update={"demo": False, "secret_key": SECRET})
        body = {"json": {"channel": "webchat"}} if method == "POST" else {}
        with TestClient(create_app(closed)) as c:
            return http(c, method, f"{target}?to=ava@example.com", **body)
    if guard is Guard.SIGNED:
        form = {"From": "+31612345678", "Body": "hi", "sender": "ava@example.com"}
        return http(world.browser(), method, target, data=form)
    if guard in (Guard.VISITOR_FORM, Guard.PAGE_FORM):
        return http(world.browser(), method, target, data={"address": "ava@example.com"})
    return hub(world, method, target, attack)


@pytest.mark.parametrize(("method", "path", "attack"), list(cases()))
def test_route_refuses_and_reveals_nothing(
    world: World, method: str, path: str, attack: Attack
) -> None:
    expect = ATTACKS[GUARDS[(method, path)]][attack]
    seen = attempt(world, method, path, attack)
    assert seen.status in expect.statuses, (seen.status, seen.body[:300])
    if expect.to is not None:
        assert seen.location.startswith(expect.to), seen.location
    leaked = [marker for marker in AVA_DATA if expect.checks_body and marker in seen.body]
    assert not leaked, f"{method} {path} as {attack}: {leaked} in the body"


def test_every_route_of_the_app_has_a_guard(world: World) -> None:
    """A new route fails here until it says who may use it (and gets its attacks)."""
    served = set(served_routes(world.client.app))  # type: ignore[arg-type]
    assert served - set(GUARDS) == set(), "routes without an entry in tests/security/routes.py"
    assert set(GUARDS) - served == set(), "entries in tests/security/routes.py for no route"


def test_the_rightful_shopper_does_see_her_data(world: World) -> None:
    """The other side of the suite: the markers it looks for are really on these answers."""
    chat = world.ava_chat
    transcript = world.client.get(f"/api/v1/conversations/{chat.id}", headers=chat.headers)
    assert "ava@example.com" in transcript.text
    ava = world.signed_in("ava@example.com")
    for (method, path), guard in GUARDS.items():
        if guard in (Guard.HUB_HOME, Guard.HUB_ORDER) and method == "GET":
            page = ava.client.get(concrete(path, world))
            assert page.status_code == 200, path
            assert any(marker in page.text for marker in AVA_DATA), path
        if guard is Guard.HUB_FILE:
            file = ava.client.get(concrete(path, world))
            assert file.status_code == 200, path


def test_another_brand_cannot_send_codes_for_this_brands_customer(world: World) -> None:
    chat = world.other_brand_chat
    chat.send(text="where is my order?")
    chat.send(text="ava@example.com")
    sent = world.client.get("/api/v1/dev/outbox", params={"to": "ava@example.com"}).json()
    assert sent["messages"] == []
