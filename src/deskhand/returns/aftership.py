"""AfterShip Returns: the returns page's deep link, AfterShip's own verdict (items already on
an AfterShip return of the order), and its webhooks (as-signature-hmac-sha256).

Documented (see the integration notes): header `as-api-key`, base
`https://api.aftership.com/returns/<version>`, the `{"meta": {...}, "data": {...}}`
envelope, a return's `id`, `rma_number`, `approval_status`
(`submitted|approved|done|rejected|expired`) and `merchant_note`. The exact paths are not
published: `GET /returns?order_number=` and `POST /returns-page/deep-links` are this
adapter's assumption, kept in one place (`RETURNS`, `DEEP_LINK`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from deskhand.domain.orders import Order
from deskhand.domain.returns import ReturnState
from deskhand.domain.vocabulary import ReturnsProviderKind
from deskhand.net.http import NetworkError, request
from deskhand.returns.vendors import ProviderError, ProviderReturn, line_item_id, order_number_of

VERSION = "2025-04"
BASE_URL = f"https://api.aftership.com/returns/{VERSION}"
RETURNS = "/returns"
DEEP_LINK = "/returns-page/deep-links"
# A staff decision as AfterShip's return operations (Approve / Receive / Resolve / Reject).
ACTIONS = {
    ReturnState.APPROVED: "approve",
    ReturnState.RECEIVED: "receive",
    ReturnState.REFUNDED: "resolve",
    ReturnState.REJECTED: "reject",
}
TIMEOUT = 10.0
STATES = {
    "submitted": ReturnState.REQUESTED,
    "approved": ReturnState.APPROVED,
    "done": ReturnState.REFUNDED,
    "rejected": ReturnState.REJECTED,
    "expired": ReturnState.REJECTED,
}


@dataclass(frozen=True)
class AfterShipProvider:
    api_key: str
    email: str
    base_url: str = BASE_URL
    timeout: float = TIMEOUT
    kind: ReturnsProviderKind = ReturnsProviderKind.AFTERSHIP

    def _call(self, method: str, path: str, **kw: Any) -> Any:
        headers = {"as-api-key": self.api_key, "Accept": "application/json"}
        try:
            r = request(method, self.base_url + path, headers=headers, timeout=self.timeout, **kw)
        except NetworkError as exc:
            raise ProviderError(f"AfterShip: {exc}") from None
        try:
            body = r.json()
        except ValueError:
            raise ProviderError(
                f"AfterShip answered {r.status_code} without JSON", r.status_code
            ) from None
        meta = body.get("meta") if isinstance(body, dict) else None
        if r.status_code >= 400 or not isinstance(meta, dict):
            kind = meta.get("type") if isinstance(meta, dict) else "?"
            raise ProviderError(
                f"AfterShip answered {r.status_code} ({kind}) to {method} {path}", r.status_code
            )
        return body.get("data")

    def returns_of(self, order: Order, now: datetime) -> list[ProviderReturn]:
        data = self._call("GET", RETURNS + "?" + urlencode({"order_number": order.number}))
        found = data.get("returns") if isinstance(data, dict) else None
        if not isinstance(found, list):
            raise ProviderError("AfterShip's return list has no returns")
        mine = [read_return(r) for r in found if isinstance(r, dict)]
        return [r for r in mine if r.order_number == order.number]

    def verdicts(self, order: Order, now: datetime) -> Mapping[int, bool]:
        taken: dict[int, bool] = {}
        for ret in self.returns_of(order, now):
            if ret.state is not ReturnState.REJECTED:
                taken.update(dict.fromkeys(ret.line_items, False))
        return taken

    def portal_url(self, order: Order) -> str | None:
        data = self._call(
            "POST", DEEP_LINK, json={"order_number": order.number, "email": self.email}
        )
        url = data.get("url") if isinstance(data, dict) else None
        if not isinstance(url, str) or not url.startswith("https://"):
            raise ProviderError("AfterShip's deep link answer has no https URL")
        return url


def apply_decision(provider: AfterShipProvider, ref: str, state: ReturnState, note: str) -> None:
    """Tell AfterShip what staff decided in Deskhand (raises ProviderError, with the status)."""
    action = ACTIONS.get(state)
    if action is not None:
        provider._call("POST", f"{RETURNS}/{ref}/{action}", json={"merchant_note": note})


def read_return(data: Mapping[str, Any]) -> ProviderReturn:
    """An AfterShip return (list item or webhook payload); unknown fields are ignored."""
    raw_order, raw_customer = data.get("order"), data.get("customer")
    order: Mapping[str, Any] = raw_order if isinstance(raw_order, dict) else {}
    customer: Mapping[str, Any] = raw_customer if isinstance(raw_customer, dict) else {}
    emails = customer.get("emails") or [customer.get("email") or ""]
    items: dict[int, int] = {}
    for line in data.get("return_items") or []:
        if isinstance(line, dict):
            item = line_item_id(line.get("external_order_item_id") or line.get("item_id"))
            if item is not None:
                items[item] = items.get(item, 0) + int(line.get("quantity") or 1)
    return ProviderReturn(
        ref=str(data.get("id") or ""),
        state=STATES.get(str(data.get("approval_status") or ""), ReturnState.REQUESTED),
        order_number=order_number_of(order.get("order_number") or data.get("order_number")),
        email=str(emails[0] if emails else ""),
        rma=str(data.get("rma_number") or ""),
        line_items=items,
        note=str(data.get("merchant_note") or ""),
    )
