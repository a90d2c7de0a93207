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
from deskhand.domain.returns import DEFAULT_REASONS
from deskhand.domain.shipping import EU_COUNTRIES, REST_OF_EU, ShippingRate

EXCLUDABLE = {
    "final_sale": "Final-sale items",
    "gift_card": "Gift cards",
    "personalised": "Personalised items",
}
# Return reasons the shopper sees in their own language (any other line is shown as written).
KNOWN_REASONS = DEFAULT_REASONS
CHANGE_NAMES = {"size": "Size", "colour": "Colour", "quantity": "Quantity", "address": "Address"}
SHIPPING_ROWS = 6
MAX_REASONS = 12
REASON_LENGTH = 80
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
    rates = [
        {
            "region": r.region,
            "cost": f"{r.cost / 100:.2f}",
            "free_over": "" if r.free_over is None else f"{r.free_over / 100:.2f}",
        }
        for r in rules.shipping_rates
    ]
    rates += [{"region": "", "cost": "", "free_over": ""}] * (SHIPPING_ROWS - len(rates))
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
            "rates": rates,
            "return_reasons": "\n".join(rules.return_reasons),
        }
    )


def _whole(form: PolicyForm, name: str, low: int, high: int, what: str) -> int:
    raw = str(form.values[name]).strip()
    if not raw.isdigit() or not low <= int(raw) <= high:
        form.errors[name] = f"{what}: a whole number from {low} to {high}."
        return low
    return int(raw)


def _amount(raw: str) -> int | None:
    """Minor units of a typed amount from 0.00 to 1000.00 (two decimals at most), else None."""
    try:
        amount = Decimal(raw.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if (
        not amount.is_finite()
        or amount < 0
        or amount > 1000
        or amount != amount.quantize(Decimal("0.01"))
    ):
        return None
    return int(amount * 100)


def _reasons(form: PolicyForm) -> tuple[str, ...]:
    """The return reasons, one a line: a known code (shown in the shopper's language) or a
    brand's own wording (shown as written). Empty: the default list."""
    lines = [" ".join(line.split()) for line in str(form.values["return_reasons"]).splitlines()]
    reasons = tuple(dict.fromkeys(line for line in lines if line))
    if len(reasons) > MAX_REASONS:
        form.errors["return_reasons"] = f"At most {MAX_REASONS} reasons, one a line."
    elif any(len(r) > REASON_LENGTH for r in reasons):
        form.errors["return_reasons"] = f"Each reason at most {REASON_LENGTH} characters."
    return reasons


def _rates(form: PolicyForm, currency: str) -> tuple[ShippingRate, ...]:
    rates: list[ShippingRate] = []
    seen: set[str] = set()
    for i, row in enumerate(form.values["rates"]):
        if not any(row.values()):
            continue
        region = row["region"]
        cost = _amount(row["cost"])
        free_over = None if row["free_over"] == "" else _amount(row["free_over"])
        if not (region == REST_OF_EU or region in EU_COUNTRIES) or region in seen:
            form.errors[f"rate_{i}"] = "An EU country code (or EU for the rest), each region once."
        elif cost is None or (row["free_over"] != "" and free_over is None):
            form.errors[f"rate_{i}"] = (
                f"Cost and free-from in {currency}, from 0.00 to 1000.00 (free-from may be empty)."
            )
        else:
            seen.add(region)
            rates.append(ShippingRate(region, cost, free_over))
    return tuple(rates)


def _money(form: PolicyForm, name: str, currency: str) -> int:
    amount = _amount(str(form.values[name]))
    if amount is None:
        form.errors[name] = f"An amount in {currency} from 0.00 to 1000.00, like 5.00."
        return 0
    return amount


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
    rate_rows = [
        {
            "region": posted.get(f"rate_region_{i}", 10).strip().upper(),
            "cost": posted.get(f"rate_cost_{i}", 20).strip(),
            "free_over": posted.get(f"rate_free_{i}", 20).strip(),
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
            "rates": rate_rows,
            "return_reasons": posted.get("return_reasons", 4000),
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
    rates = _rates(form, currency)
    reasons = _reasons(form)
    if form.errors:
        return form
    # The fields this form does not show (the returns provider, the return postage fee)
    # keep their current values.
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
        shipping_rates=rates,
        return_reasons=reasons,
        adding_items_supported=bool(form.values["adding_items"]),
        hub_enabled=bool(form.values["hub_enabled"]),
    )
    return form
