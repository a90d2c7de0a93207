"""The integrations page: connect, test (against a local fake vendor), disconnect; secrets
sealed and never shown back; an empty secret keeps the stored one."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.commerce.shopify.client import API_VERSION
from deskhand.config import Settings
from deskhand.db import models
from deskhand.web.app import create_app
from tests.console.team_members import Member

TOKEN = "zd-secret-token-123"
SHOPIFY_TOKEN = "shpat_secret_456"


class FakeVendors(BaseHTTPRequestHandler):
    """Zendesk's GET /api/v2/users/me.json (Basic email/token:TOKEN) and Shopify's GraphQL
    endpoint (X-Shopify-Access-Token), as documented; 401 for any other credentials."""

    def _answer(self, ok: bool, body: dict[str, object]) -> None:
        raw = json.dumps(body if ok else {"error": "Couldn't authenticate you"}).encode()
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        expected = (
            "Basic " + base64.b64encode(f"agent@fjordfinch.example/token:{TOKEN}".encode()).decode()
        )
        ok = self.path == "/api/v2/users/me.json" and self.headers.get("Authorization") == expected
        self._answer(ok, {"user": {"id": 1, "role": "admin"}})

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        ok = (
            self.path == f"/admin/api/{API_VERSION}/graphql.json"
            and self.headers.get("X-Shopify-Access-Token") == SHOPIFY_TOKEN
        )
        self._answer(ok, {"data": {"shop": {"name": "Fjord & Finch"}}})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def vendor() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeVendors)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def owner_here(settings: Settings, demo_db: object) -> Iterator[Member]:
    """The owner on an app allowed to call 127.0.0.1 (the fake vendor)."""
    with TestClient(create_app(settings.model_copy(update={"allow_private_urls": True}))) as c:
        member = Member(c)
        member.sign_in()
        yield member


def zendesk(token: str, base: str) -> dict[str, str]:
    return {
        "subdomain": "fjordfinch",
        "email": "agent@fjordfinch.example",
        "api_token": token,
        "api_base": base,
    }


def test_connect_test_and_disconnect_without_showing_the_secret(
    owner_here: Member, db: Session, vendor: str
) -> None:
    owner, client = owner_here, owner_here.client
    r = owner.post(
        "/admin/integrations/zendesk/connect", zendesk(TOKEN, vendor), "/admin/integrations"
    )
    assert r.status_code == 303
    page = client.get("/admin/integrations").text
    assert TOKEN not in page
    assert "(stored; leave empty to keep)" in page
    db.rollback()
    row = db.scalars(select(models.Integration).where(models.Integration.kind == "zendesk")).one()
    assert TOKEN not in row.sealed_secrets
    assert TOKEN not in json.dumps(row.config)

    works = owner.post("/admin/integrations/zendesk/test", {}, "/admin/integrations")
    assert "Zendesk (helpdesk): Connection works (HTTP 200)." in works.text
    # An empty token keeps the stored one.
    owner.post("/admin/integrations/zendesk/connect", zendesk("", vendor), "/admin/integrations")
    again = owner.post("/admin/integrations/zendesk/test", {}, "/admin/integrations")
    assert "Connection works" in again.text

    owner.post(
        "/admin/integrations/zendesk/connect", zendesk("wrong", vendor), "/admin/integrations"
    )
    refused = owner.post("/admin/integrations/zendesk/test", {}, "/admin/integrations")
    assert "The credentials were refused (HTTP 401)." in refused.text
    assert "last error" in client.get("/admin/integrations").text
    assert "wrong" not in client.get("/admin/integrations").text

    gone = owner.post("/admin/integrations/zendesk/disconnect", {}, "/admin/integrations")
    assert gone.status_code == 303
    db.rollback()
    assert (
        db.scalars(select(models.Integration).where(models.Integration.kind == "zendesk")).first()
        is None
    )
    log = client.get("/admin/audit").text
    assert "zendesk connected" in log
    assert "zendesk disconnected" in log
    assert TOKEN not in log


def test_shopify_probe_and_bad_fields(owner_here: Member, vendor: str) -> None:
    owner = owner_here
    bad = owner.post(
        "/admin/integrations/shopify/connect",
        {"shop": "Not A Shop!", "access_token": ""},
        "/admin/integrations",
    )
    assert bad.status_code == 400
    assert "Shop name (the part before .myshopify.com): not valid." in bad.text
    assert "Admin API access token: required." in bad.text
    owner.post(
        "/admin/integrations/shopify/connect",
        {"shop": "fjordfinch", "access_token": SHOPIFY_TOKEN, "api_base": vendor},
        "/admin/integrations",
    )
    r = owner.post("/admin/integrations/shopify/test", {}, "/admin/integrations")
    assert "Shopify (store): Connection works (HTTP 200)." in r.text


def test_without_the_test_setting_a_vendor_address_is_not_kept(
    client: TestClient, db: Session, owner: Member, vendor: str
) -> None:
    owner.post("/admin/integrations/zendesk/connect", zendesk(TOKEN, vendor), "/admin/integrations")
    db.rollback()
    row = db.scalars(select(models.Integration).where(models.Integration.kind == "zendesk")).one()
    assert row.config == {"subdomain": "fjordfinch", "email": "agent@fjordfinch.example"}
