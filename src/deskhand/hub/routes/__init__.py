"""The Customer Hub's pages at /hub, one module per group of pages.

Routes only wire: the typed dependencies of `hub.deps` give them the page's context, the
signed-in customer, the checked form and the customer's order; the rules live in
`hub.editing`, `hub.signin` and `hub.views`; every order change takes `changes.submit_change`.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from deskhand.hub.deps import HubPage, hub_router
from deskhand.hub.routes import cancel, edit, orders, returns, sign_in

fallback = hub_router()


@fallback.api_route("/{rest:path}", methods=["GET", "POST"])
def unknown_page(hub: HubPage) -> Response:
    """Any other /hub address: the same HTML "not found" page, in the shopper's language."""
    if not hub.rules.hub_enabled:
        return hub.hub_off()
    return hub.not_found()


router = APIRouter()
for group in (sign_in, orders, edit, cancel, returns):
    router.include_router(group.router)
router.include_router(fallback)  # last: it answers every address the others do not
