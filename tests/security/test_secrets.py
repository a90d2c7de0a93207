"""Secrets: credentials sealed at rest and rotated, private files, security headers, cookies."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from deskhand.cli import main
from deskhand.config import Settings
from deskhand.db import integrations, models
from deskhand.db.sealed import SealBroken, seal, unseal
from deskhand.domain.vocabulary import IntegrationKind
from deskhand.web.app import create_app
from tests.hub.shopping import Shopper
from tests.security.routes import GUARDS, PATH_VALUES

KEY_A, KEY_B, KEY_C = "a" * 40, "b" * 40, "c" * 40
SHOPIFY = {"access_token": "shpat_very_secret"}
ZENDESK = {"api_token": "zd_very_secret"}


def keyed(settings: Settings, key: str, previous: str = "") -> Settings:
    return settings.model_copy(update={"secret_key": key, "previous_secret_keys": previous})


def connect_two(session: Session, settings: Settings) -> None:
    brand = session.scalar(select(models.Brand))
    assert brand is not None
    for kind, secrets in ((IntegrationKind.SHOPIFY, SHOPIFY), (IntegrationKind.ZENDESK, ZENDESK)):
        integrations.connect(session, settings, brand.id, kind, config={}, secrets=secrets)
    session.commit()


def sealed_rows(session: Session) -> list[str]:
    session.expire_all()
    rows = list(session.scalars(select(models.Integration.sealed_secrets).order_by("id")))
    session.rollback()  # end the read: SQLite's write lock must be free for the command
    return rows


def run_rotate(monkeypatch: pytest.MonkeyPatch, settings: Settings, key: str, old: str) -> int:
    monkeypatch.setenv("DESKHAND_DATABASE_URL", settings.resolved_database_url())
    monkeypatch.setenv("DESKHAND_SECRET_KEY", key)
    monkeypatch.setenv("DESKHAND_PREVIOUS_SECRET_KEYS", old)
    return main(["secrets", "rotate"])


def test_secrets_rotate_reseals_every_row_under_the_new_key(
    session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect_two(session, keyed(settings, KEY_A))
    before = sealed_rows(session)
    assert all("very_secret" not in token for token in before)

    assert run_rotate(monkeypatch, settings, KEY_B, KEY_A) == 0

    after = sealed_rows(session)
    assert after != before
    only_b = keyed(settings, KEY_B)  # the old key is gone: the rows must open without it
    assert [unseal(only_b, token) for token in after] == [SHOPIFY, ZENDESK]
    with pytest.raises(SealBroken):
        unseal(keyed(settings, KEY_A), after[0])


def test_secrets_rotate_changes_nothing_when_a_row_opens_with_no_key(
    session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect_two(session, keyed(settings, KEY_A))
    row = session.scalars(select(models.Integration).order_by("id")).all()[1]
    row.sealed_secrets = seal(keyed(settings, KEY_C), ZENDESK)  # a key nobody listed
    session.commit()
    before = sealed_rows(session)

    assert run_rotate(monkeypatch, settings, KEY_B, KEY_A) == 1

    assert sealed_rows(session) == before


def test_settings_never_show_their_secrets(settings: Settings) -> None:
    full = settings.model_copy(
        update={
            "twilio_auth_token": "twilio-secret-token",
            "smtp_password": "smtp-secret-password",
            "mailgun_signing_key": "mailgun-secret-key",
            "previous_secret_keys": KEY_A,
            "redis_url": "redis://:redis-password@127.0.0.1:6379/0",
        }
    )
    shown = repr(full) + str(full)
    for secret in (
        settings.secret_key,
        "twilio-secret-token",
        "smtp-secret-password",
        "mailgun-secret-key",
        KEY_A,
        "redis-password",
    ):
        assert secret not in shown


# -- headers ---------------------------------------------------------------------------------


def document_routes() -> list[str]:
    """Every GET route of the table, its parameters filled in."""
    paths = []
    for method, path in GUARDS:
        if method == "GET":
            for name, value in PATH_VALUES.items():
                path = path.replace(f"{{{name}:path}}", value).replace(f"{{{name}}}", value)
            paths.append(path)
    return paths


def https_app(settings: Settings, demo_db: Engine) -> TestClient:
    secure = settings.model_copy(update={"base_url": "https://help.fjordfinch.example"})
    return TestClient(create_app(secure), base_url="https://help.fjordfinch.example")


def test_every_page_carries_the_security_headers(client: TestClient) -> None:
    for path in document_routes():
        r = client.get(path, follow_redirects=False)
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert "referrer-policy" in r.headers, path
        assert "strict-transport-security" not in r.headers, path  # plain http: no HSTS
        if path.startswith(("/widget.js", "/api/v1/widget/", "/api/v1/conversations")):
            # the widget's script and API are fetched by shops' pages from their own domains
            assert "x-frame-options" not in r.headers, path
            continue
        policy = r.headers["content-security-policy"]
        assert "default-src 'none'" in policy, path
        if path.startswith("/demo/shop"):
            assert r.headers["x-frame-options"] == "SAMEORIGIN", path
        else:
            assert r.headers["x-frame-options"] == "DENY", path
            assert "frame-ancestors 'none'" in policy, path


def test_the_widgets_page_allows_its_script_and_socket(client: TestClient) -> None:
    policy = client.get("/demo/shop").headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "connect-src 'self' ws://testserver" in policy


def test_https_adds_hsts_everywhere(settings: Settings, demo_db: Engine) -> None:
    with https_app(settings, demo_db) as c:
        for path in ("/", "/hub/sign-in", "/widget.js", "/openapi.json"):
            assert c.get(path).headers["strict-transport-security"].startswith("max-age=31536000")
        assert (
            "wss://help.fjordfinch.example"
            in c.get("/demo/shop").headers["content-security-policy"]
        )


def test_https_makes_every_cookie_secure(settings: Settings, demo_db: Engine) -> None:
    with https_app(settings, demo_db) as c:
        shopper = Shopper(c)
        cookies: list[str] = []
        asked = shopper.ask_code("ava@example.com")
        cookies += asked.headers.get_list("set-cookie")
        page = c.get("/hub/sign-in/code?lang=de")
        cookies += page.headers.get_list("set-cookie")
        assert cookies
        for cookie in cookies:
            assert "secure" in cookie.lower(), cookie
            assert "httponly" in cookie.lower(), cookie
