"""One change to an order in words: "Trail Jacket: M / Navy changed to L / Olive."."""

from __future__ import annotations

from typing import Any

from deskhand.agent.replies.wording import Wording
from deskhand.domain.orders import Money


def change_text(action: str, before: dict[str, Any], after: dict[str, Any], w: Wording) -> str:
    """What one history entry changed, as a sentence in `w`'s language."""
    b, a = before, after
    if action == "swap_variant":
        return w.t("hub.history.swap", item=a["title"], before=b["variant"], after=a["variant"])
    if action == "change_quantity":
        return w.t(
            "hub.history.quantity", item=a["title"], before=b["quantity"], after=a["quantity"]
        )
    if action == "change_address":
        return w.t("hub.history.address", after=f"{a['line1']}, {a['postcode']} {a['city']}")
    if action == "cancel":
        return w.t(
            "hub.history.cancel",
            fee=w.money(Money(a["fee"], a["currency"])),
            refund=w.money(Money(a["refund"], a["currency"])),
        )
    return action
