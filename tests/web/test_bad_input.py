"""Bad input to the Conversations API: a clean problem+json, never a 500, never a half-write."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update
from tests.conftest import Chat, text_of

from deskhand.config import Settings
from deskhand.db import models
from deskhand.web.app import create_app

API = "/api/v1"
AVA = "ava@example.com"
NOBODY = "nobody@example.com"
COUNTED = (
    models.Message,
    models.Conversation,
    models.VerificationCode,
    models.OutboxMessage,
    models.AnalyticsEvent,
)
JSON_HEADERS = {"Content-Type": "application/json"}

MakeClient = Callable[..., TestClient]


# -- helpers -----------------------------------------------------------------------------------


def row_counts(client: TestClient) -> dict[str, int]:
    """Rows per table we write to, read through the app's own engine."""
    with client.app.state.deskhand.sessions() as session:
        return {
            m.__name__: int(session.scalar(select(func.count()).select_from(m)) or 0)
            for m in COUNTED
        }


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """An RFC 9457 problem with this status, a title and no leaked traceback."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert isinstance(body.get("title"), str)
    assert body["title"].strip()
    assert body["status"] == status
    assert "Traceback" not in response.text
    assert 'File "' not in response.text
    return body


def rejected(
    client: TestClient, status: int, method: str, url: str, **kwargs: Any
) -> httpx.Response:
    """Send a request that must fail with `status` and leave every table untouched."""
    before = row_counts(client)
    response = client.request(method, url, **kwargs)
    assert_problem(response, status)
    assert row_counts(client) == before, "a rejected request wrote rows"
    return response


def messages_url(chat: Chat) -> str:
    return f"{API}/conversations/{chat.id}/messages"


def url_for(chat: Chat, target: str) -> str:
    return f"{API}/conversations" if target == "create" else messages_url(chat)


def outcome(chat: Chat) -> str:
    meta: dict[str, str] = chat.last["messages"][0]["meta"]
    return meta["outcome"]


def verified(chat: Chat) -> bool:
    return bool(chat.last["conversation"]["verified"])


def outbox_codes(client: TestClient, to: str) -> list[str]:
    """The 6-digit codes sent to `to`, newest first."""
    r = client.get(f"{API}/dev/outbox", params={"to": to})
    assert r.status_code == 200, r.text
    return [
        re.search(r"\b\d{6}\b", m["subject"]).group(0)  # type: ignore[union-attr]
        for m in r.json()["messages"]
    ]


def start_verification(chat: Chat, email: str = AVA) -> None:
    """Ask for something that needs the account, then give the email."""
    chat.send(text="can I cancel my order?")
    assert outcome(chat) == "needs_sign_in"
    chat.send(text=email)
    assert outcome(chat) == "code_sent"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def make_client(settings: Settings, demo_db: Engine) -> Iterator[MakeClient]:
    """Build a client on the demo store with some settings changed."""
    with ExitStack() as stack:

        def make(**changes: Any) -> TestClient:
            client = stack.enter_context(
                TestClient(create_app(settings.model_copy(update=changes)))
            )
            stack.callback(client.app.state.deskhand.sessions.kw["bind"].dispose)
            return client

        yield make


# -- malformed and misshapen bodies ------------------------------------------------------------


@pytest.mark.parametrize("target", ["create", "message"])
@pytest.mark.parametrize(
    "raw",
    [
        b'{"channel": "webchat", "text": "hi"',
        b"not json at all",
        b'{"text": "hi",}',
        b"[" * 30_000 + b"]" * 30_000,
    ],
    ids=["unterminated", "not-json", "trailing-comma", "nested-too-deep"],
)
def test_malformed_json_is_400(client: TestClient, chat: Chat, target: str, raw: bytes) -> None:
    rejected(
        client,
        400,
        "POST",
        url_for(chat, target),
        content=raw,
        headers={**JSON_HEADERS, **chat.headers},
    )


@pytest.mark.parametrize(
    "body",
    [
        {"channel": "webchat", "colour": "x"},
        {"channel": "fax"},
        {"channel": 5},
        {},
        {"channel": "webchat", "locale": 7},
        {"channel": "webchat", "brand": ""},
    ],
    ids=[
        "unknown-field",
        "unknown-channel",
        "channel-not-string",
        "no-channel",
        "locale-not-string",
        "empty-brand",
    ],
)
def test_bad_conversation_body_is_422(client: TestClient, body: dict[str, Any]) -> None:
    rejected(client, 422, "POST", f"{API}/conversations", json=body)


@pytest.mark.parametrize("target", ["create", "message"])
@pytest.mark.parametrize(
    "raw", [b"[]", b'"hi"', b"null", b"42", b""], ids=["array", "string", "null", "number", "empty"]
)
def test_json_that_is_not_an_object_is_422(
    client: TestClient, chat: Chat, target: str, raw: bytes
) -> None:
    rejected(
        client,
        422,
        "POST",
        url_for(chat, target),
        content=raw,
        headers={**JSON_HEADERS, **chat.headers},
    )


def test_unsupported_locale_is_422(client: TestClient) -> None:
    rejected(
        client, 422, "POST", f"{API}/conversations", json={"channel": "webchat", "locale": "pt"}
    )


def test_unknown_brand_is_404(client: TestClient) -> None:
    rejected(
        client,
        404,
        "POST",
        f"{API}/conversations",
        json={"channel": "webchat", "brand": "no-such-brand"},
    )


@pytest.mark.parametrize(
    "body",
    [
        {"text": "hi", "extra": 1},
        {"text": 5},
        {"text": ["hi"]},
        {"action": 5},
        {"text": "hi", "action": "handoff:yes"},
        {},
        {"text": None, "action": None},
        {"action": ""},
        {"action": "x" * 101},
        {"text": ""},
        {"text": "   \n\t  "},
    ],
    ids=[
        "unknown-field",
        "text-not-string",
        "text-list",
        "action-not-string",
        "text-and-action",
        "neither",
        "both-null",
        "empty-action",
        "action-too-long",
        "empty-text",
        "whitespace-text",
    ],
)
def test_bad_message_body_is_422(client: TestClient, chat: Chat, body: dict[str, Any]) -> None:
    rejected(client, 422, "POST", messages_url(chat), json=body, headers=chat.headers)


def test_text_over_the_character_limit_is_413(client: TestClient, chat: Chat) -> None:
    rejected(
        client, 413, "POST", messages_url(chat), json={"text": "a" * 20_000}, headers=chat.headers
    )


def _padded(body: dict[str, Any], size: int = 65 * 1024) -> bytes:
    """Valid JSON of `body`, padded with whitespace to over `size` bytes."""
    raw = json.dumps(body)
    return (raw[:-1] + " " * size + "}").encode()


@pytest.mark.parametrize("target", ["create", "message"])
def test_body_over_64_kib_is_413(client: TestClient, chat: Chat, target: str) -> None:
    body = {"channel": "webchat"} if target == "create" else {"text": "hi"}
    rejected(
        client,
        413,
        "POST",
        url_for(chat, target),
        content=_padded(body),
        headers={**JSON_HEADERS, **chat.headers},
    )


@pytest.mark.parametrize("target", ["create", "message"])
def test_chunked_body_over_64_kib_is_413(client: TestClient, chat: Chat, target: str) -> None:
    """No Content-Length header (chunked upload) must not get around the size limit."""
    body = {"channel": "webchat"} if target == "create" else {"text": "hi"}
    raw = _padded(body)
    chunks = iter([raw[:32_768], raw[32_768:]])
    rejected(
        client,
        413,
        "POST",
        url_for(chat, target),
        content=chunks,
        headers={**JSON_HEADERS, **chat.headers},
    )


# -- who may talk to which conversation -------------------------------------------------------


def test_unknown_conversation_is_404(client: TestClient, chat: Chat) -> None:
    url = f"{API}/conversations/00000000-0000-4000-8000-000000000000"
    rejected(client, 404, "POST", f"{url}/messages", json={"text": "hi"}, headers=chat.headers)
    rejected(client, 404, "GET", url, headers=chat.headers)


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_missing_token_is_401_with_bearer_challenge(
    client: TestClient, chat: Chat, method: str
) -> None:
    url = messages_url(chat) if method == "POST" else f"{API}/conversations/{chat.id}"
    kwargs = {"json": {"text": "hi"}} if method == "POST" else {}
    r = rejected(client, 401, method, url, **kwargs)
    assert r.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "authorization",
    ["Bearer wrong-token", "Bearer ", "Basic dXNlcjpwYXNz", "wrong-token"],
    ids=["wrong-token", "empty-token", "basic-scheme", "no-scheme"],
)
def test_bad_token_on_message_is_401(client: TestClient, chat: Chat, authorization: str) -> None:
    r = rejected(
        client,
        401,
        "POST",
        messages_url(chat),
        json={"text": "hi"},
        headers={"Authorization": authorization},
    )
    assert r.headers["www-authenticate"].startswith("Bearer")


def test_another_conversations_token_is_401(client: TestClient, chat: Chat) -> None:
    other = Chat(client)
    rejected(client, 401, "POST", messages_url(chat), json={"text": "hi"}, headers=other.headers)
    rejected(client, 401, "GET", f"{API}/conversations/{chat.id}", headers=other.headers)


def test_transcript_with_wrong_token_is_401(client: TestClient, chat: Chat) -> None:
    chat.send(text="hi")
    r = rejected(
        client,
        401,
        "GET",
        f"{API}/conversations/{chat.id}",
        headers={"Authorization": "Bearer wrong-token"},
    )
    assert "messages" not in r.json()


# -- actions that were never offered ----------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    ["order:9999", "handoff:yes", "handoff:no", "verify:resend", "drop table"],
    ids=["order", "handoff-yes", "handoff-no", "resend", "drop-table"],
)
def test_unoffered_action_is_422_and_conversation_goes_on(
    client: TestClient, chat: Chat, action: str
) -> None:
    chat.send(text="hi")
    rejected(client, 422, "POST", messages_url(chat), json={"action": action}, headers=chat.headers)
    chat.send(text="hi")
    transcript = client.get(f"{API}/conversations/{chat.id}", headers=chat.headers).json()
    assert [m["role"] for m in transcript["messages"]] == ["shopper", "agent"] * 2
    assert all(m["action"] is None for m in transcript["messages"])


# -- rate limits -------------------------------------------------------------------------------


def test_too_many_messages_is_429_with_retry_after(make_client: MakeClient) -> None:
    client = make_client(messages_per_minute=3)
    chat = Chat(client)
    for _ in range(3):
        chat.send(text="hi")
    r = rejected(client, 429, "POST", messages_url(chat), json={"text": "hi"}, headers=chat.headers)
    assert int(r.headers["retry-after"]) >= 1
    Chat(client).send(text="hi")  # the limit is per conversation


def test_too_many_conversations_is_429_with_retry_after(make_client: MakeClient) -> None:
    client = make_client(conversations_per_minute=2)
    Chat(client)
    Chat(client)
    r = rejected(client, 429, "POST", f"{API}/conversations", json={"channel": "webchat"})
    assert int(r.headers["retry-after"]) >= 1


# -- verification inside the conversation ------------------------------------------------------


def test_wrong_code_is_answered_and_does_not_verify(client: TestClient, chat: Chat) -> None:
    start_verification(chat)
    (code,) = outbox_codes(client, AVA)
    chat.send(text=wrong(code))
    assert outcome(chat) == "code_wrong"
    assert not verified(chat)


def test_five_wrong_codes_lock_out_even_the_right_code(
    client: TestClient, settings: Settings
) -> None:
    chat = Chat(client)
    start_verification(chat)
    (code,) = outbox_codes(client, AVA)
    outcomes = []
    for _ in range(settings.code_max_failures):
        chat.send(text=wrong(code))
        outcomes.append(outcome(chat))
    assert outcomes == ["code_wrong"] * (settings.code_max_failures - 1) + ["verification_locked"]
    chat.send(text=code)
    assert not verified(chat)
    chat.send(text="can I cancel my order?")
    assert outcome(chat) == "verification_locked"
    assert not verified(chat)
    with client.app.state.deskhand.sessions() as session:
        assert session.get_one(models.Conversation, chat.id).customer_id is None


def test_expired_code_is_refused(client: TestClient, chat: Chat) -> None:
    start_verification(chat)
    (code,) = outbox_codes(client, AVA)
    with client.app.state.deskhand.sessions() as session, session.begin():
        session.execute(
            update(models.VerificationCode)
            .where(models.VerificationCode.conversation_id == chat.id)
            .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    chat.send(text=code)
    assert outcome(chat) == "code_expired"
    assert not verified(chat)


def test_codes_per_address_are_rate_limited(client: TestClient, settings: Settings) -> None:
    chat = Chat(client)
    start_verification(chat)
    for _ in range(settings.codes_per_address_per_hour - 1):
        chat.send(action="verify:resend")
        assert outcome(chat) == "code_sent"
    chat.send(action="verify:resend")
    assert outcome(chat) == "rate_limited"
    assert len(outbox_codes(client, AVA)) == settings.codes_per_address_per_hour
    fresh = Chat(client)
    fresh.send(text="can I cancel my order?")
    fresh.send(text=AVA)
    assert outcome(fresh) == "rate_limited"
    assert len(outbox_codes(client, AVA)) == settings.codes_per_address_per_hour


def test_unknown_email_gets_the_same_reply_and_no_email(client: TestClient) -> None:
    known, unknown = Chat(client), Chat(client)
    start_verification(known, AVA)
    before = row_counts(client)["OutboxMessage"]
    start_verification(unknown, NOBODY)
    assert row_counts(client)["OutboxMessage"] == before
    assert outbox_codes(client, NOBODY) == []
    reply_known, reply_unknown = known.last["messages"][0], unknown.last["messages"][0]
    assert text_of(reply_known).replace(AVA, "<email>") == text_of(reply_unknown).replace(
        NOBODY, "<email>"
    )
    assert reply_known["meta"] == reply_unknown["meta"]
    assert [b["type"] for b in reply_known["blocks"]] == [
        b["type"] for b in reply_unknown["blocks"]
    ]


def test_dev_outbox_is_404_outside_demo_mode(make_client: MakeClient) -> None:
    client = make_client(demo=False)
    rejected(client, 404, "GET", f"{API}/dev/outbox")
    rejected(client, 404, "GET", f"{API}/dev/outbox", params={"to": AVA})


# -- never a 500 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "😀🙈🎉",
        "مرحبا، أين طلبي؟",
        "hi\u0000there",
        "a" * 3_999,
        "'; drop table orders;--",
        "<script>alert(1)</script>",
    ],
    ids=["emoji", "rtl", "nul-byte", "3999-chars", "sql", "html"],
)
def test_odd_text_gets_a_normal_reply(client: TestClient, chat: Chat, text: str) -> None:
    message = chat.send(text=text)
    assert message["blocks"]
    assert "<script>" not in json.dumps(message["blocks"], ensure_ascii=False)
    transcript = client.get(f"{API}/conversations/{chat.id}", headers=chat.headers)
    assert transcript.status_code == 200, transcript.text
    assert [m["role"] for m in transcript.json()["messages"]] == ["shopper", "agent"]


@pytest.mark.parametrize(
    ("status", "method", "url", "kwargs"),
    [
        (404, "POST", f"{API}/conversations", {"json": {"channel": "webchat", "brand": "a\u0000"}}),
        (
            422,
            "POST",
            f"{API}/conversations",
            {"json": {"channel": "webchat", "locale": "e\u0000"}},
        ),
        (404, "GET", f"{API}/conversations/a%00b", {}),
        (404, "POST", f"{API}/conversations/a%00b/messages", {"json": {"text": "hi"}}),
    ],
    ids=["brand", "locale", "conversation-id", "conversation-id-on-post"],
)
def test_nul_byte_elsewhere_is_a_clean_problem(
    client: TestClient, chat: Chat, status: int, method: str, url: str, kwargs: dict[str, Any]
) -> None:
    rejected(client, status, method, url, headers=chat.headers, **kwargs)


def test_nul_byte_in_outbox_filter_is_an_empty_list(client: TestClient) -> None:
    r = client.get(f"{API}/dev/outbox", params={"to": "ava\u0000@example.com"})
    assert r.status_code == 200, r.text
    assert r.json() == {"messages": []}
