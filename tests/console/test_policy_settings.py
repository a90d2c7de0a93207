"""Policy settings: validated at the edge, checked against the content before and after
saving, and every change in the audit log with who made it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from tests.console.team_members import Member

DEMO_FORM = {
    "hub_enabled": "on",
    "change_window": "120",
    "allowed_changes": ["size", "colour", "quantity", "address"],
    "cancel_window": "120",
    "cancellation_fee": "5.00",
    "return_window": "30",
    "return_excluded": ["final_sale", "gift_card", "personalised"],
    "refund_days": "5",
    "ship_region_0": "NL",
    "ship_min_0": "1",
    "ship_max_0": "2",
    "ship_region_1": "DE",
    "ship_min_1": "1",
    "ship_max_1": "2",
    "ship_region_2": "BE",
    "ship_min_2": "1",
    "ship_max_2": "2",
    "ship_region_3": "EU",
    "ship_min_3": "3",
    "ship_max_3": "5",
}


def policy(db: Session) -> dict[str, object]:
    db.rollback()
    return dict(db.scalars(select(models.Brand)).one().policy)


def test_the_form_shows_the_rules_in_force(client: TestClient, owner: Member) -> None:
    page = client.get("/admin/policy").text
    assert 'name="change_window" type="text" inputmode="numeric" value="120"' in page
    assert 'value="5.00"' in page
    assert 'name="ship_region_3" type="text" value="EU"' in page


def test_saving_changes_the_rules_logs_who_and_shows_the_new_contradiction(
    client: TestClient, db: Session, owner: Member
) -> None:
    before = policy(db)
    form = {**DEMO_FORM, "change_window": "60", "cancellation_fee": "7.50", "action": "save"}
    r = owner.post("/admin/policy", form, "/admin/policy")
    assert r.status_code == 303
    after = policy(db)
    assert after["change_window_minutes"] == 60
    assert after["cancellation_fee"] == 750
    assert {
        k: v for k, v in after.items() if k not in ("change_window_minutes", "cancellation_fee")
    } == {k: v for k, v in before.items() if k not in ("change_window_minutes", "cancellation_fee")}
    [change] = db.scalars(
        select(models.SettingsChange).where(models.SettingsChange.area == "policy")
    )
    assert change.actor == "owner@fjordfinch.example"
    assert change.before == {"cancellation_fee": 500, "change_window_minutes": 120}
    assert change.after == {"cancellation_fee": 750, "change_window_minutes": 60}
    page = client.get(r.headers["location"]).text
    assert "Policy saved." in page
    # The demo's articles say two hours and EUR 5: the checker says so at once.
    assert "states a different order-change window" in page
    assert "states a different cancellation fee" in page


def test_check_shows_what_a_change_would_contradict_without_saving(
    client: TestClient, db: Session, owner: Member
) -> None:
    before = policy(db)
    form = {**DEMO_FORM, "return_window": "14", "action": "check"}
    r = owner.post("/admin/policy", form, "/admin/policy")
    assert r.status_code == 200
    assert "(not saved)" in r.text
    assert "states a different return window" in r.text
    assert policy(db) == before
    assert db.scalars(select(models.SettingsChange)).first() is None


def test_bad_values_are_refused_field_by_field_and_kept_as_typed(
    client: TestClient, db: Session, admin: Member
) -> None:
    before = policy(db)
    form = {
        **DEMO_FORM,
        "change_window": "two hours",
        "cancellation_fee": "-3",
        "return_window": "999",
        "ship_region_4": "Narnia",
        "ship_min_4": "1",
        "ship_max_4": "2",
        "ship_region_5": "FR",
        "ship_min_5": "9",
        "ship_max_5": "2",
        "action": "save",
    }
    r = admin.post("/admin/policy", form, "/admin/policy")
    assert r.status_code == 400
    assert "nothing was saved" in r.text
    assert "Change window (minutes): a whole number from 0 to 10080." in r.text
    assert "An amount in EUR from 0.00 to 1000.00" in r.text
    assert "Return window (days): a whole number from 0 to 365." in r.text
    assert "A two-letter country code (or EU)" in r.text
    assert "from no more than to" in r.text
    assert 'value="two hours"' in r.text
    assert policy(db) == before


def test_keys_other_parts_keep_in_the_policy_survive_a_save(
    client: TestClient, db: Session, owner: Member
) -> None:
    brand = db.scalars(select(models.Brand)).one()
    brand.policy = {**brand.policy, "return_reasons": ["too small"]}
    db.commit()
    owner.post("/admin/policy", {**DEMO_FORM, "refund_days": "7"}, "/admin/policy")
    after = policy(db)
    assert after["refund_business_days"] == 7
    assert after["return_reasons"] == ["too small"]
