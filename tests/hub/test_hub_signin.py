"""Passwordless sign-in to the Hub: codes, magic links, sessions, CSRF and rate limits."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from itsdangerous.encoding import base64_decode, base64_encode, bytes_to_int, int_to_bytes
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.hub.shopping import Shopper, code_in, csrf_in, latest_message, link_in, shift_times

from deskhand.db import models
from deskhand.db.models import HubSession, VerificationCode
from deskhand.web.app import create_app

AVA = "ava@example.com"


def outbox_count(db: Session) -> int:
    db.rollback()
    return int(db.scalar(select(func.count()).select_from(models.OutboxMessage)) or 0)


def test_deep_link_signs_in_with_the_code_and_lands_on_the_tab(shopper: Shopper) -> None:
    first = shopper.get("/hub/orders/1001/edit")
    assert first.status_code == 303
    assert first.headers["location"] == "/hub/sign-in?next=%2Fhub%2Forders%2F1001%2Fedit"
    asked = shopper.ask_code(AVA, "/hub/orders/1001/edit")
    assert asked.headers["location"] == "/hub/sign-in/code"
    email = latest_message(shopper.client, AVA)
    assert "Fjord & Finch" in email["subject"]
    assert code_in(email) in email["subject"]
    assert "/hub/sign-in/link?token=" in email["body"]
    done = shopper.enter_code(code_in(email))
    assert done.status_code == 303
    assert done.headers["location"] == "/hub/orders/1001/edit"
    page = shopper.get("/hub/orders/1001/edit")
    assert page.status_code == 200
    assert "Signed in as Ava" in page.text


def test_session_cookie_is_httponly_lax_and_hashed_at_rest(shopper: Shopper, db: Session) -> None:
    shopper.ask_code(AVA)
    done = shopper.enter_code(code_in(latest_message(shopper.client, AVA)))
    cookie = next(c for c in done.headers.get_list("set-cookie") if c.startswith("hub_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    assert "Path=/hub" in cookie
    assert "Secure" not in cookie  # the test server's base URL is http
    value = cookie.split(";")[0].split("=", 1)[1]
    db.rollback()
    stored = db.scalars(select(HubSession.token_hash)).all()
    assert value not in stored
    assert len(stored) == 1


def test_cookies_are_secure_when_the_base_url_is_https(settings, demo_db) -> None:  # type: ignore[no-untyped-def]
    secure = settings.model_copy(update={"base_url": "https://shop.example"})
    with TestClient(create_app(secure), base_url="https://testserver") as client:
        page = client.get("/hub/sign-in")
        pre = next(c for c in page.headers.get_list("set-cookie") if c.startswith("hub_pre="))
        assert "Secure" in pre
        assert "HttpOnly" in pre


def test_wrong_codes_count_down_then_the_code_dies(shopper: Shopper) -> None:
    shopper.ask_code(AVA)
    right = code_in(latest_message(shopper.client, AVA))
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        r = shopper.enter_code(wrong)
        assert r.status_code == 422
        assert f"tries left: {left}" in r.text
    locked = shopper.enter_code(wrong)
    assert "Too many wrong codes" in locked.text
    assert shopper.enter_code(right).status_code == 422  # even the right code is dead now
    assert shopper.get("/hub").status_code == 303


def test_expired_code_is_refused(shopper: Shopper, db: Session) -> None:
    shopper.ask_code(AVA)
    code = code_in(latest_message(shopper.client, AVA))
    shift_times(db, VerificationCode, timedelta(hours=1), "expires_at")
    r = shopper.enter_code(code)
    assert r.status_code == 422
    assert "expired" in r.text
    assert shopper.get("/hub").status_code == 303


def test_unknown_address_gets_the_same_answer_and_nothing_is_sent(
    shopper: Shopper, db: Session
) -> None:
    before = outbox_count(db)
    known = shopper.ask_code(AVA)
    after_known = outbox_count(db)
    unknown = Shopper(shopper.client).ask_code("nobody@example.com")
    assert known.status_code == unknown.status_code == 303
    assert known.headers["location"] == unknown.headers["location"]
    assert after_known == before + 1
    assert outbox_count(db) == after_known
    page = shopper.get("/hub/sign-in/code")
    assert "If n•••@example.com belongs to an account" in page.text
    assert shopper.enter_code("123456").status_code == 422


def test_malformed_address_is_explained(shopper: Shopper) -> None:
    r = shopper.ask_code("not an address")
    assert r.status_code == 422
    assert "name@example.com" in r.text
    assert 'aria-invalid="true"' in r.text


def test_codes_are_rate_limited_per_address(shopper: Shopper, settings) -> None:  # type: ignore[no-untyped-def]
    for _ in range(settings.codes_per_address_per_hour):
        assert shopper.ask_code(AVA).status_code == 303
    limited = shopper.ask_code(AVA)
    assert limited.status_code == 429
    assert "Too many codes" in limited.text


def test_phone_number_gets_the_code_by_sms(shopper: Shopper) -> None:
    assert shopper.ask_code("+31 6 1234 5678").status_code == 303
    sms = latest_message(shopper.client, "+31612345678")
    assert sms["kind"] == "sms"
    assert shopper.enter_code(code_in(sms)).headers["location"] == "/hub"
    assert "Your orders" in shopper.get("/hub").text


def test_magic_link_signs_in_once(client: TestClient, shopper: Shopper) -> None:
    shopper.ask_code(AVA, "/hub/orders/1002/track")
    link = link_in(latest_message(client, AVA))
    other_browser = Shopper(TestClient(client.app))
    page = other_browser.client.get(link)
    assert page.status_code == 200
    assert "a•••@example.com" in page.text
    token = link.split("token=")[1].split("&")[0]
    used = other_browser.client.post(
        "/hub/sign-in/link",
        data={"csrf": csrf_in(page.text), "token": token},
        follow_redirects=False,
    )
    assert used.headers["location"] == "/hub/orders/1002/track"
    assert other_browser.get("/hub/orders/1002/track").status_code == 200
    again = Shopper(TestClient(client.app))
    replay = again.client.get(link)
    assert replay.status_code == 410
    assert "expired or was already used" in replay.text
    # the code of the same request is used up with it
    assert shopper.enter_code(code_in(latest_message(client, AVA))).status_code == 422


def test_tampered_or_expired_magic_link_is_refused(
    client: TestClient, shopper: Shopper, db: Session
) -> None:
    shopper.ask_code(AVA)
    link = link_in(latest_message(client, AVA))
    request_id, nonce, stamp, signature = link.split("token=")[1].split("&")[0].split(".")
    later = base64_encode(int_to_bytes(bytes_to_int(base64_decode(stamp)) + 3600)).decode()
    forged = f"{request_id}.{nonce}.{later}.{signature}"  # signed an hour later? not by us
    assert client.get(f"/hub/sign-in/link?token={forged}").status_code == 410
    shift_times(db, VerificationCode, timedelta(hours=1), "link_expires_at")
    assert client.get(link).status_code == 410


def test_posts_without_the_csrf_token_are_refused(shopper: Shopper, db: Session) -> None:
    before = outbox_count(db)
    r = shopper.client.post("/hub/sign-in", data={"address": AVA}, follow_redirects=False)
    assert r.status_code == 403
    assert "This form has expired" in r.text
    bad = shopper.client.post(
        "/hub/sign-in", data={"address": AVA, "csrf": "x" * 64}, follow_redirects=False
    )
    assert bad.status_code == 403
    assert outbox_count(db) == before


def test_sign_out_ends_the_session_for_good(ava: Shopper) -> None:
    cookie = ava.client.cookies.get("hub_session")
    assert cookie
    out = ava.form("/hub", "/hub/sign-out", {})
    assert out.status_code == 200
    assert "You are signed out" in out.text
    assert ava.get("/hub").status_code == 303
    ava.client.cookies.set("hub_session", cookie, path="/hub")  # a copied cookie is dead too
    assert ava.get("/hub").status_code == 303


def test_sessions_expire_after_thirty_idle_days(ava: Shopper, db: Session) -> None:
    assert ava.get("/hub").status_code == 200
    shift_times(db, HubSession, timedelta(days=31), "last_seen_at", "expires_at")
    assert ava.get("/hub").status_code == 303


def test_next_cannot_leave_the_hub(shopper: Shopper) -> None:
    for evil in ("//evil.example/hub", "https://evil.example", "/hub/../admin", "/hub?x=1"):
        shopper.client.cookies.clear()
        asked = shopper.ask_code(AVA, evil)
        assert asked.status_code == 303
        done = shopper.enter_code(code_in(latest_message(shopper.client, AVA)))
        assert done.headers["location"] == "/hub", evil


def test_signed_in_shopper_skips_the_sign_in_page(ava: Shopper) -> None:
    r = ava.get("/hub/sign-in?next=/hub/orders/1003")
    assert r.status_code == 303
    assert r.headers["location"] == "/hub/orders/1003"
