"""Loop Returns: the shopper portal's deep link, Loop's own verdict (items already on a Loop
return), and its webhooks (X-Loop-Signature) read as Deskhand return states.

Documented (see the integration notes): header auth `X-Authorization: <api key>`, base
`https://api.loopreturns.com/api/v1`, the Detailed Returns List `GET /warehouse/return/list`
(`from`, `to`, `filter=created_at`; at most 120 days) answering an array of returns with
`id, state, order_name, customer, line_items[{line_item_id}]`; webhook triggers
`return.created | return.updated | return.closed`. Loop does not publish the deep-link
endpoint's path: `POST /order/deeplink` with the order name and email is this adapter's
assumption, kept in one place (`DEEP_LINK`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from deskhand.domain.orders import Order
from deskhand.domain.returns import ReturnState
from deskhand.domain.vocabulary import ReturnsProviderKind
from deskhand.net.http import NetworkError, request
from deskhand.returns.vendors import ProviderError, ProviderReturn, line_item_id, order_number_of

BASE_URL = "https://api.loopreturns.com/api/v1"
RETURN_LIST = "/warehouse/return/list"
DEEP_LINK = "/order/deeplink"
# A staff decision as Loop's return actions (Process / Cancel / Close; paths assumed).
ACTIONS = {
    ReturnState.RECEIVED: "process",
    ReturnState.REFUNDED: "close",
    ReturnState.REJECTED: "cancel",
}
MAX_RANGE = timedelta(days=120)
TIMEOUT = 10.0
STATES = {
    "open": ReturnState.REQUESTED,
    "review": ReturnState.REQUESTED,
    "closed": ReturnState.REFUNDED,
    "cancelled": ReturnState.REJECTED,
    "expired": ReturnState.REJECTED,
}


@dataclass(frozen=True)
class LoopProvider:
    api_key: str
    email: str  # the shopper's, for the deep link
    base_url: str = BASE_URL
    timeout: float = TIMEOUT
    kind: ReturnsProviderKind = ReturnsProviderKind.LOOP

    def _call(self, method: str, path: str, **kw: Any) -> Any:
        headers = {"X-Authorization": self.api_key, "Accept": "application/json"}
        try:
            r = request(method, self.base_url + path, headers=headers, timeout=self.timeout, **kw)
        except NetworkError as exc:
            raise ProviderError(f"Loop: {exc}") from None
        if r.status_code >= 400:
            raise ProviderError(f"Loop answered {r.status_code} to {method} {path}", r.status_code)
        try:
            return r.json()
        except ValueError:
            raise ProviderError(f"Loop sent no JSON to {method} {path}") from None

    def returns_of(self, order: Order, now: datetime) -> list[ProviderReturn]:
        start = max(order.placed_at, now - MAX_RANGE)
        params = {
            "from": start.strftime("%Y-%m-%d %H:%M:%S"),
            "to": now.strftime("%Y-%m-%d %H:%M:%S"),
            "filter": "created_at",
        }
        found = self._call("GET", RETURN_LIST + "?" + urlencode(params))
        if not isinstance(found, list):
            raise ProviderError("Loop's return list is not a list")
        mine = [read_return(r) for r in found if isinstance(r, dict)]
        return [r for r in mine if r.order_number == order.number]

    def verdicts(self, order: Order, now: datetime) -> Mapping[int, bool]:
        """Items on an open or closed Loop return cannot go back again."""
        taken: dict[int, bool] = {}
        for ret in self.returns_of(order, now):
            if ret.state is not ReturnState.REJECTED:
                taken.update(dict.fromkeys(ret.line_items, False))
        return taken

    def portal_url(self, order: Order) -> str | None:
        body = self._call(
            "POST", DEEP_LINK, json={"order_name": f"#{order.number}", "email": self.email}
        )
        url = body.get("url") if isinstance(body, dict) else None
        if not isinstance(url, str) or not url.startswith("https://"):
            raise ProviderError("Loop's deep link answer has no https URL")
        return url


def apply_decision(provider: LoopProvider, ref: str, state: ReturnState, note: str) -> None:
    """Tell Loop what staff decided in Deskhand (raises ProviderError, with the status)."""
    action = ACTIONS.get(state)
    if action is not None:
        provider._call("POST", f"/warehouse/return/{ref}/{action}", json={"note": note})


def read_return(data: Mapping[str, Any]) -> ProviderReturn:
    """A Loop return (list item or webhook payload) as Deskhand reads it; unknown fields are
    ignored, Loop adds fields at any time."""
    customer = data.get("customer")
    email = customer if isinstance(customer, str) else ""
    if isinstance(customer, dict):
        email = str(customer.get("email") or "")
    items: dict[int, int] = {}
    for line in data.get("line_items") or []:
        if isinstance(line, dict):
            item = line_item_id(line.get("line_item_id"))
            if item is not None:
                items[item] = items.get(item, 0) + int(line.get("quantity") or 1)
    return ProviderReturn(
        ref=str(data.get("id") or ""),
        state=STATES.get(str(data.get("state") or ""), ReturnState.REQUESTED),
        order_number=order_number_of(data.get("order_name") or data.get("order_number")),
        email=email,
        line_items=items,
    )
