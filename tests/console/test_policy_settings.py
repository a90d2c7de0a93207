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
    "rate_region_0": "NL",
    "rate_cost_0": "4.95",
    "rate_free_0": "50.00",
    "rate_region_1": "DE",
    "rate_cost_1": "4.95",
    "rate_free_1": "50.00",
    "rate_region_2": "BE",
    "rate_cost_2": "4.95",
    "rate_free_2": "50.00",
    "rate_region_3": "EU",
    "rate_cost_3": "7.95",
    "rate_free_3": "50.00",
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
    brand.policy = {**brand.policy, "return_shipping_fee": 395, "returns_provider": "none"}
    db.commit()
    owner.post("/admin/policy", {**DEMO_FORM, "refund_days": "7"}, "/admin/policy")
    after = policy(db)
    assert after["refund_business_days"] == 7
    assert after["return_shipping_fee"] == 395
    assert after["returns_provider"] == "none"


def test_the_form_shows_the_shipping_costs_and_return_reasons_in_force(
    client: TestClient, owner: Member
) -> None:
    page = client.get("/admin/policy").text
    assert 'name="rate_region_3" type="text" value="EU"' in page
    assert 'name="rate_cost_3" type="text" inputmode="decimal" value="7.95"' in page
    assert 'name="rate_free_0" type="text" inputmode="decimal" value="50.00"' in page
    assert 'id="return_reasons"' in page


def test_shipping_costs_and_return_reasons_save_with_an_audit_entry_and_findings(
    client: TestClient, db: Session, owner: Member
) -> None:
    form = {
        **DEMO_FORM,
        "rate_cost_1": "5.95",
        "rate_free_3": "",
        "return_reasons": "too_small\n  Arrived too late \n\ntoo_small\nchanged_mind",
        "action": "save",
    }
    r = owner.post("/admin/policy", form, "/admin/policy")
    assert r.status_code == 303
    after = policy(db)
    rates = {rate["region"]: rate for rate in after["shipping_rates"]}  # type: ignore[union-attr]
    assert rates["DE"] == {"region": "DE", "cost": 595, "free_over": 5000}
    assert rates["EU"] == {"region": "EU", "cost": 795, "free_over": None}
    assert rates["NL"]["cost"] == 495
    assert after["return_reasons"] == ["too_small", "Arrived too late", "changed_mind"]
    [change] = db.scalars(
        select(models.SettingsChange).where(models.SettingsChange.area == "policy")
    )
    assert set(change.after) == {"shipping_rates", "return_reasons"}
    assert change.before["return_reasons"] == []
    page = client.get(r.headers["location"]).text
    assert "Arrived too late" in page
    # The demo's shipping article says EUR 4.95 to Germany: the checker says so at once.
    findings = page.split('id="findings"')[1]
    assert "states a different shipping cost for DE" in findings


def test_bad_shipping_costs_and_reasons_are_refused_and_kept_as_typed(
    client: TestClient, db: Session, admin: Member
) -> None:
    before = policy(db)
    form = {
        **DEMO_FORM,
        "rate_region_4": "US",
        "rate_cost_4": "3.00",
        "rate_region_5": "FR",
        "rate_cost_5": "cheap",
        "return_reasons": "x" * 81,
        "action": "save",
    }
    r = admin.post("/admin/policy", form, "/admin/policy")
    assert r.status_code == 400
    assert "An EU country code (or EU for the rest), each region once." in r.text
    assert "Cost and free-from in EUR" in r.text
    assert "Each reason at most 80 characters." in r.text
    assert 'value="cheap"' in r.text
    assert policy(db) == before
    many = "\n".join(f"reason {n}" for n in range(13))
    r = admin.post("/admin/policy", {**DEMO_FORM, "return_reasons": many}, "/admin/policy")
    assert r.status_code == 400
    assert "At most 12 reasons, one a line." in r.text
    assert policy(db) == before
