"""The returns tab: until when each item of an order can go back, or why it cannot."""

from __future__ import annotations

from fastapi.responses import Response

from deskhand.hub import views
from deskhand.hub.deps import CurrentCustomer, OwnOrder, hub_router
from deskhand.hub.views import Tab

router = hub_router()


@router.get("/orders/{number}/return")
def returns_page(me: CurrentCustomer, order: OwnOrder) -> Response:
    hub = me.hub
    verdicts = views.return_verdicts(order, hub.rules, hub.now)
    return hub.render(
        "hub/returns.html",
        **views.tab_context(order, Tab.RETURN),
        verdicts=[(v, views.return_text(v, hub.words, hub.rules)) for v in verdicts],
    )
