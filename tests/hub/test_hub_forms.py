"""The Hub's forms: the size limit, what counts as a form, and the checks' order."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.hub.shopping import Shopper, csrf_in

from deskhand.hub.forms import MAX_FIELDS, MAX_FORM_BYTES
from deskhand.nlp.language import native_name as language_name

EDIT = "/hub/orders/1001/edit"


def test_a_form_over_the_size_limit_gets_the_too_large_page(shopper: Shopper) -> None:
    token = csrf_in(shopper.client.get("/hub/sign-in").text)
    r = shopper.client.post(
        "/hub/sign-in",
        data={"csrf": token, "address": "a" * (MAX_FORM_BYTES + 1)},
        follow_redirects=False,
    )
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("text/html")
    assert "Too much data" in r.text


def test_a_body_that_is_not_a_urlencoded_form_fails_the_csrf_check(shopper: Shopper) -> None:
    token = csrf_in(shopper.client.get("/hub/sign-in").text)
    fields = {"csrf": token, "address": "ava@example.com"}
    multipart = shopper.client.post(
        "/hub/sign-in", data=fields, files={"f": ("f", b"x")}, follow_redirects=False
    )
    assert multipart.status_code == 403
    assert shopper.client.post("/hub/sign-in", json=fields).status_code == 403


def test_a_form_with_too_many_fields_fails_the_csrf_check(shopper: Shopper) -> None:
    token = csrf_in(shopper.client.get("/hub/sign-in").text)
    extra = "&".join(f"f{i}=1" for i in range(MAX_FIELDS))
    r = shopper.client.post(
        "/hub/sign-in",
        content=f"csrf={token}&address=ava%40example.com&{extra}",
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert r.status_code == 403


def test_a_signed_out_change_goes_to_sign_in_before_any_form_check(client: TestClient) -> None:
    r = Shopper(client).client.post(
        f"{EDIT}/variant", data={"x": "a" * (MAX_FORM_BYTES + 1)}, follow_redirects=False
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/hub/sign-in?next=%2Fhub%2Forders%2F1001%2Fedit%2Fvariant"


def test_a_refused_form_reveals_no_order(ava: Shopper) -> None:
    theirs = ava.client.post("/hub/orders/1004/cancel", data={}, follow_redirects=False)
    missing = ava.client.post("/hub/orders/9999/cancel", data={}, follow_redirects=False)
    assert theirs.status_code == missing.status_code == 403


def test_language_links_name_each_language_in_itself(shopper: Shopper) -> None:
    page = shopper.get("/hub/sign-in").text
    for name in ("English", "Deutsch", "Nederlands", "Svenska", "Français", "Español"):
        assert f">{name}</a>" in page
    assert language_name("xx-not-a-language") == "xx-not-a-language"


def test_posted_values_keep_their_characters_but_lose_nul_bytes(shopper: Shopper) -> None:
    token = csrf_in(shopper.client.get("/hub/sign-in").text)
    r = shopper.client.post(
        "/hub/sign-in",
        data={"csrf": token, "address": "Zoë\x00 <not an address>"},
        follow_redirects=False,
    )
    assert r.status_code == 422
    assert 'value="Zoë &lt;not an address&gt;"' in r.text
