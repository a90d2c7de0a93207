"""The Privacy page (export and erase a shopper, erase only after a confirmation, both in the
audit log without the address) and the Brand look page (logo and the Hub's name, validated),
each changed only by owner and admin."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from tests.conftest import Chat
from tests.console.team_members import Member

AVA = "ava@example.com"


def ava_messages(db: Session, conversation_id: str) -> list[str]:
    db.rollback()
    return [
        m.text or ""
        for m in db.scalars(
            select(models.Message)
            .where(models.Message.conversation_id == conversation_id)
            .where(models.Message.role == "shopper")
        )
    ]


def test_export_then_erase_after_a_confirmation(
    client: TestClient, db: Session, owner: Member, ava_verified: Chat
) -> None:
    ava_verified.send(text="Where is my order with the blue scarf?")
    assert any("blue scarf" in t for t in ava_messages(db, ava_verified.id))
    bad = owner.post("/admin/privacy/export", {"address": "not an address"}, "/admin/privacy")
    assert bad.status_code == 400
    assert "An email address, or a phone number" in bad.text
    r = owner.post("/admin/privacy/export", {"address": AVA}, "/admin/privacy")
    assert r.status_code == 200
    assert r.headers["content-disposition"].startswith('attachment; filename="shopper-export-')
    doc = json.loads(r.text)
    assert doc["format"] == "deskhand.shopper-export.v1"
    assert ava_verified.id in [c["id"] for c in doc["conversations"]]

    # The first erase post only shows what would go; nothing changes.
    review = owner.post("/admin/privacy/erase", {"address": AVA}, "/admin/privacy")
    assert review.status_code == 200
    assert f"Erase {AVA}?" in review.text
    assert "It cannot be undone." in review.text
    unconfirmed = owner.post(
        "/admin/privacy/erase", {"address": AVA, "action": "erase"}, "/admin/privacy"
    )
    assert unconfirmed.status_code == 200
    assert any("blue scarf" in t for t in ava_messages(db, ava_verified.id))

    done = owner.post(
        "/admin/privacy/erase",
        {"address": AVA, "action": "erase", "confirm": "yes"},
        "/admin/privacy",
    )
    assert done.status_code == 303
    assert not any("blue scarf" in t for t in ava_messages(db, ava_verified.id))
    changes = list(
        db.scalars(select(models.SettingsChange).where(models.SettingsChange.area == "privacy"))
    )
    assert [c.action for c in changes] == ["shopper data exported", "shopper erased"]
    assert all(c.after["shopper"] == "a***@example.com" for c in changes)
    assert AVA not in json.dumps([c.after for c in changes])
    page = client.get(done.headers["location"]).text
    assert "The shopper was erased" in page
    assert "a***@example.com" in page


def test_a_viewer_cannot_export_or_erase(
    client: TestClient, db: Session, viewer: Member, ava_verified: Chat
) -> None:
    page = client.get("/admin/privacy")
    assert page.status_code == 200
    assert 'action="/admin/privacy/erase"' not in page.text
    for path in ("/admin/privacy/export", "/admin/privacy/erase"):
        r = viewer.post(path, {"address": AVA, "action": "erase", "confirm": "yes"})
        assert r.status_code == 403
        assert "Only an owner or admin can change this" in r.text
    assert ava_messages(db, ava_verified.id)
    assert all(t for t in ava_messages(db, ava_verified.id))


def test_the_brand_look_is_validated_saved_logged_and_worn_by_the_hub(
    client: TestClient, db: Session, admin: Member
) -> None:
    page = client.get("/admin/look").text
    assert 'value="/demo/logo.svg"' in page  # the demo's logo, served here
    bad = admin.post(
        "/admin/look",
        {"logo_url": "http://cdn.example/logo.png", "portal_en": "x" * 61},
        "/admin/look",
    )
    assert bad.status_code == 400
    assert "An https:// address" in bad.text
    assert "At most 60 characters." in bad.text
    assert 'value="http://cdn.example/logo.png"' in bad.text
    for logo in ("javascript:alert(1)", "//evil.example/x.png", "https://a b.example/x.png"):
        r = admin.post("/admin/look", {"logo_url": logo}, "/admin/look")
        assert r.status_code == 400, logo
    db.rollback()
    assert db.scalars(select(models.SettingsChange)).first() is None
    ok = admin.post(
        "/admin/look",
        {
            "logo_url": "https://cdn.example/logo.png",
            "portal_en": "  My   orders ",
            "portal_de": "",
        },
        "/admin/look",
    )
    assert ok.status_code == 303
    db.rollback()
    row = db.scalars(select(models.WidgetSettings)).one()
    assert row.logo_url == "https://cdn.example/logo.png"
    assert row.portal_names == {"en": "My orders"}
    [change] = db.scalars(select(models.SettingsChange))
    assert change.area == "look"
    assert change.after == {
        "logo_url": "https://cdn.example/logo.png",
        "portal_names": {"en": "My orders"},
    }
    assert "Brand look saved." in client.get(ok.headers["location"]).text
    hub = client.get("/hub/sign-in").text
    assert "https://cdn.example/logo.png" in hub
    # Empty: no logo.
    admin.post("/admin/look", {"logo_url": "", "portal_en": "My orders"}, "/admin/look")
    db.rollback()
    assert db.scalars(select(models.WidgetSettings)).one().logo_url is None


def test_a_viewer_cannot_change_the_brand_look(
    client: TestClient, db: Session, viewer: Member
) -> None:
    r = viewer.post("/admin/look", {"logo_url": "https://evil.example/x.png"}, "/admin/look")
    assert r.status_code == 403
    db.rollback()
    assert db.scalars(select(models.WidgetSettings)).one().logo_url == "/demo/logo.svg"
