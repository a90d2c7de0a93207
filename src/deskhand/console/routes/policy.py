"""Policy settings: change windows, allowed changes, fees, excluded categories, return
reasons, refund and shipping times, shipping costs, the Customer Hub switch. Validated; the
consistency checker's findings for the form as typed are shown before saving ("Check") and
after; every save is in the audit log."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

from fastapi.responses import Response

from deskhand.console.breakage import would_break
from deskhand.console.context import ConsoleRequest
from deskhand.console.deps import EditorForm, Member, console_router
from deskhand.console.policy_form import (
    CHANGE_NAMES,
    EXCLUDABLE,
    KNOWN_REASONS,
    PolicyForm,
    form_of,
    read_policy_form,
)
from deskhand.db import models
from deskhand.domain.policy import PolicyRules
from deskhand.knowledge.consistency import Finding, check_consistency, findings_for, findings_under
from deskhand.suites.runner import CaseResult
from deskhand.team.audit import changed_fields, recent_changes, record_change

router = console_router()


def _render(
    console: ConsoleRequest,
    form: PolicyForm,
    findings: list[Finding],
    *,
    status: int = 200,
    checked: bool = False,
    breaks: list[CaseResult] | None = None,
) -> Response:
    changes = [c for c in recent_changes(console.db, console.brand.id) if c.area == "policy"]
    return console.render(
        "policy.html",
        status=status,
        form=form,
        findings=findings,
        checked=checked,
        breaks=breaks,
        change_names=CHANGE_NAMES,
        excludable=EXCLUDABLE,
        known_reasons=KNOWN_REASONS,
        changes=changes[:20],
    )


def _try_policy(brand: models.Brand, rules: PolicyRules) -> None:
    brand.policy = {**brand.policy, **rules.to_json()}


@router.get("/policy")
def policy_page(me: Member) -> Response:
    console = me.console
    rules = PolicyRules.from_json(console.brand.policy)
    return _render(console, form_of(rules), findings_for(console.db, console.brand.id))


@router.post("/policy")
def save_policy(post: EditorForm) -> Response:
    console, brand = post.console, post.console.brand
    current = PolicyRules.from_json(brand.policy)
    form = read_policy_form(post.form, current, brand.currency)
    if form.rules is None:
        return _render(console, form, findings_for(console.db, brand.id), status=400)
    if post.form.get("action") == "check":  # what the change would find and break, nothing saved
        return _render(
            console,
            form,
            findings_under(console.db, brand, form.rules),
            checked=True,
            breaks=would_break(console, partial(_try_policy, brand, form.rules)),
        )
    before, after = current.to_json(), form.rules.to_json()
    diff = changed_fields(before, after)
    if diff:
        # Keys other parts of Deskhand keep in the policy stay as they are.
        brand.policy = {**brand.policy, **after}
        record_change(
            console.db,
            brand_id=brand.id,
            member=post.me.member,
            area="policy",
            action="rules changed",
            before={k: v[0] for k, v in diff.items()},
            after={k: v[1] for k, v in diff.items()},
            now=console.now,
        )
        check_consistency(console.db, brand, console.now)
    return console.redirect("/admin/policy?" + urlencode({"done": "policy"}))
