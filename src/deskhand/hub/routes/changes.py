"""The one path every order change takes, from a checked form to the confirmation.

By the time a change gets here, `OrderForm` has let only the signed-in customer through,
refused an oversized body or a bad CSRF token, and found the customer's own order. Then:
`apply` re-checks the policy rules against the clock (the page may have stayed open past a
window) and changes the order through the Store; the change goes on the order's history; a
confirmation is shown once, sent by email (and SMS) and posted into the shopper's open
conversation; the browser goes to the next page. A refused change leaves
nothing behind and shows its page again, saying why.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.responses import Response

from deskhand.confirmations.order_changes import confirm_order_change
from deskhand.hub import editing, views
from deskhand.hub.deps import OrderPost
from deskhand.hub.editing import Change, Refusal
from deskhand.hub.views import Tab

Apply = Callable[[OrderPost], Change]
ShowAgain = Callable[[OrderPost, Refusal], Response]


def submit_change(posted: OrderPost, *, apply: Apply, again: ShowAgain, then: Tab) -> Response:
    """Make the change, record and confirm it, and go to the `then` tab; or show `again`."""
    hub, me, order = posted.hub, posted.me, posted.order
    try:
        with hub.db.begin_nested():  # a refusal rolls back whatever the attempt wrote
            change = apply(posted)
    except Refusal as refusal:
        return again(posted, refusal)
    row = editing.record_change(
        hub.db,
        order=order,
        change=change,
        brand_id=hub.brand.id,
        customer_id=me.customer.id,
        hub_session_id=me.login.id,
        now=hub.now,
    )
    # The shopper gets it in writing, and their open conversation hears of it.
    confirm_order_change(
        hub.db,
        brand=hub.brand,
        look=hub.look,
        rules=hub.rules,
        customer=me.customer,
        row=row,
        number=order.number,
        lang=hub.words.lang,
        base_url=hub.state.settings.base_url,
        now=hub.now,
    )
    flash = views.done_flash(change, order, hub.words, hub.rules)
    hub.flash(flash.key, **flash.params)
    return hub.redirect(then.path(order.number))
