"""The policy settings form: read it into `PolicyRules`, with a message per field that is off.

Values are checked at the edge so that the rules the agent decides with are never out of
range; a refused form keeps everything the brand typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from deskhand.console.forms import PostedForm
from deskhand.domain.policy import CHANGE_TYPES, PolicyRules, ShippingTime

EXCLUDABLE = {
    "final_sale": "Final-sale items",
    "gift_card": "Gift cards",
    "personalised": "Personalised items",
}
CHANGE_NAMES = {"size": "Size", "colour": "Colour", "quantity": "Quantity", "address": "Address"}
SHIPPING_ROWS = 6
_REGION = re.compile(r"^[A-Z]{2}$")
WEEK_MINUTES = 7 * 24 * 60


@dataclass
class PolicyForm:
    """What the form showed or was sent (strings, as typed) and what is wrong with it."""

    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    rules: PolicyRules | None = None


def form_of(rules: PolicyRules) -> PolicyForm:
    """The form filled in from the rules in force."""
    shipping = [
        {"region": s.region, "min": str(s.min_days), "max": str(s.max_days)}
        for s in rules.shipping_times
    ]
    shipping += [{"region": "", "min": "", "max": ""}] * (SHIPPING_ROWS - len(shipping))
    return PolicyForm(
        {
            "change_window": str(int(rules.change_window.total_seconds() // 60)),
            "allowed_changes": sorted(rules.allowed_changes),
            "cancel_window": str(int(rules.free_cancellation_window.total_seconds() // 60)),
            "cancellation_fee": f"{rules.cancellation_fee / 100:.2f}",
            "return_window": str(rules.return_window_days),
            "return_excluded": sorted(rules.return_excluded),
            "refund_days": str(rules.refund_business_days),
            "adding_items": rules.adding_items_supported,
            "hub_enabled": rules.hub_enabled,
            "shipping": shipping,
        }
    )


def _whole(form: PolicyForm, name: str, low: int, high: int, what: str) -> int:
    raw = str(form.values[name]).strip()
    if not raw.isdigit() or not low <= int(raw) <= high:
        form.errors[name] = f"{what}: a whole number from {low} to {high}."
        return low
    return int(raw)


def _money(form: PolicyForm, name: str, currency: str) -> int:
    raw = str(form.values[name]).strip().replace(",", ".")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        amount = Decimal(-1)
    if (
        not amount.is_finite()
        or amount < 0
        or amount > 1000
        or amount != amount.quantize(Decimal("0.01"))
    ):
        form.errors[name] = f"An amount in {currency} from 0.00 to 1000.00, like 5.00."
        return 0
    return int(amount * 100)


def read_policy_form(posted: PostedForm, current: PolicyRules, currency: str) -> PolicyForm:
    """Check the posted form; `rules` is set only when every field is right."""
    shipping_rows = [
        {
            "region": posted.get(f"ship_region_{i}", 10).strip().upper(),
            "min": posted.get(f"ship_min_{i}", 10).strip(),
            "max": posted.get(f"ship_max_{i}", 10).strip(),
        }
        for i in range(SHIPPING_ROWS)
    ]
    form = PolicyForm(
        {
            "change_window": posted.get("change_window", 10),
            "allowed_changes": [c for c in posted.all("allowed_changes") if c in CHANGE_TYPES],
            "cancel_window": posted.get("cancel_window", 10),
            "cancellation_fee": posted.get("cancellation_fee", 20),
            "return_window": posted.get("return_window", 10),
            "return_excluded": [c for c in posted.all("return_excluded") if c in EXCLUDABLE],
            "refund_days": posted.get("refund_days", 10),
            "adding_items": posted.get("adding_items") == "on",
            "hub_enabled": posted.get("hub_enabled") == "on",
            "shipping": shipping_rows,
        }
    )
    change = _whole(form, "change_window", 0, WEEK_MINUTES, "Change window (minutes)")
    cancel = _whole(form, "cancel_window", 0, WEEK_MINUTES, "Free cancellation (minutes)")
    fee = _money(form, "cancellation_fee", currency)
    return_days = _whole(form, "return_window", 0, 365, "Return window (days)")
    refund_days = _whole(form, "refund_days", 0, 60, "Refund time (business days)")
    times: list[ShippingTime] = []
    seen: set[str] = set()
    for i, row in enumerate(shipping_rows):
        if not any(row.values()):
            continue
        region, low, high = row["region"], row["min"], row["max"]
        if not (_REGION.match(region) and region not in seen):
            form.errors[f"ship_{i}"] = "A two-letter country code (or EU), each region once."
        elif not (low.isdigit() and high.isdigit() and int(low) <= int(high) <= 90):
            form.errors[f"ship_{i}"] = "Days from and to, whole numbers, from no more than to."
        else:
            seen.add(region)
            times.append(ShippingTime(region, int(low), int(high)))
    if form.errors:
        return form
    # The fields this form does not show (return reasons, the returns provider, shipping
    # rates) keep their current values.
    form.rules = replace(
        current,
        change_window=timedelta(minutes=change),
        allowed_changes=frozenset(form.values["allowed_changes"]),
        free_cancellation_window=timedelta(minutes=cancel),
        cancellation_fee=fee,
        return_window_days=return_days,
        # Categories the form does not offer (set elsewhere) stay as they are.
        return_excluded=frozenset(form.values["return_excluded"])
        | (current.return_excluded - EXCLUDABLE.keys()),
        refund_business_days=refund_days,
        shipping_times=tuple(times),
        adding_items_supported=bool(form.values["adding_items"]),
        hub_enabled=bool(form.values["hub_enabled"]),
    )
    return form
