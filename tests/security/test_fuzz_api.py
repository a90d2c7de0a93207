"""Schemathesis against the app's /openapi.json: no 500s, every answer matches the schema.

Bounded for CI: a fixed number of examples per operation, derandomized (the same inputs on
every run), no deadline. Operations on a conversation get a real conversation and its token
half of the time, so the generated bodies reach the agent and not only the 404/401 gate.
Runs on SQLite only (the inputs, not the database, are under test).
"""

from __future__ import annotations

import shutil
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)
from sqlalchemy import Engine

from deskhand.config import Settings
from deskhand.web.app import create_app

EXAMPLES_PER_OPERATION = 50
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def db_url(tmp_path: Path, sqlite_template: Path) -> str:
    target = tmp_path / "deskhand.db"
    shutil.copy(sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def fuzzed(settings: Settings, demo_db: Engine) -> Iterator[dict[str, Any]]:
    """The app (limits raised so that fuzzing measures answers, not the rate limiter)."""
    roomy = settings.model_copy(
        update={
            "messages_per_minute": 100_000,
            "conversations_per_minute": 100_000,
            "codes_per_client_per_hour": 100_000,
            "codes_per_address_per_hour": 100_000,
            # every channel on: an unconfigured one answers 503 by design
            "twilio_account_sid": "AC" + "0" * 32,
            "twilio_auth_token": "twilio-token",
            "twilio_from": "+15005550006",
            "mailgun_signing_key": "mailgun-key",
            "sendgrid_inbound_secret": "the-right-secret",
        }
    )
    app = create_app(roomy)
    with TestClient(app) as client:
        created = client.post("/api/v1/conversations", json={"channel": "webchat"}).json()
        yield {
            "app": app,
            "schema": schemathesis.openapi.from_asgi("/openapi.json", app),
            "conversation": created,
        }


# The API's operations; one more in /openapi.json fails `test_every_operation_is_fuzzed`.
OPERATIONS = [
    ("POST", "/api/v1/conversations"),
    ("POST", "/api/v1/conversations/{conversation_id}/messages"),
    ("GET", "/api/v1/conversations/{conversation_id}"),
    ("GET", "/api/v1/dev/outbox"),
    ("GET", "/api/v1/widget/config"),
    ("POST", "/webhooks/twilio/messages"),
    ("POST", "/webhooks/twilio/status"),
    ("POST", "/webhooks/email/mailgun"),
    ("POST", "/webhooks/email/sendgrid/{secret}"),
    ("GET", "/api/v1/returns"),
    ("GET", "/api/v1/returns/{rma}"),
    ("POST", "/api/v1/returns/{rma}/state"),
    ("POST", "/webhooks/returns/loop"),
    ("POST", "/webhooks/returns/aftership"),
    ("POST", "/webhooks/helpdesk/zendesk"),
]


def test_every_operation_is_fuzzed(fuzzed: dict[str, Any]) -> None:
    paths = fuzzed["schema"].raw_schema["paths"]
    published = {(m.upper(), p) for p, item in paths.items() for m in item}
    assert published == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_no_input_breaks_the_api(fuzzed: dict[str, Any], method: str, path: str) -> None:
    operation = fuzzed["schema"][path][method]
    conversation = fuzzed["conversation"]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answer(case: Any) -> None:
        params = case.path_parameters
        if params and "conversation_id" in params and zlib.crc32(repr(case.body).encode()) % 2:
            params["conversation_id"] = conversation["id"]
            token = f"Bearer {conversation['token']}"
            case.headers = {**(case.headers or {}), "Authorization": token}
        case.call_and_validate(checks=CHECKS)

    answer()
