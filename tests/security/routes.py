"""The app's route table, and how each route is guarded: the isolation suite's input.

Every (method, path) the app serves must have an entry in `GUARDS`; `test_isolation.py`
fails for a route without one (and for an entry whose route is gone), so a new route cannot
ship without saying who may use it. Each guard lists the attacks tried on its routes; a
new kind of caller (team roles when the admin console lands) is a new attack added to the
guards of the routes it may not use.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from fastapi import FastAPI

WEBSOCKET = "WS"


class Guard(StrEnum):
    """Who may use a route."""

    OPEN = "open"  # anyone; shows no shopper's data
    DOCS = "docs"  # the API's schema and its viewers
    BEARER = "bearer"  # a conversation's bearer token
    SOCKET = "socket"  # the same token, over the web chat's WebSocket
    DEV = "dev"  # demo mode only
    SIGNED = "signed"  # a vendor's signed webhook
    VISITOR_PAGE = "visitor_page"  # Hub sign-in pages: anyone, no data
    VISITOR_FORM = "visitor_form"  # Hub sign-in forms: a CSRF token bound to this browser
    PAGE_FORM = "page_form"  # sign-out: a CSRF token
    HUB_HOME = "hub_home"  # the signed-in shopper's own orders list
    HUB_ORDER = "hub_order"  # a page about one of the signed-in shopper's orders
    HUB_ORDER_FORM = "hub_order_form"  # a form changing one of the signed-in shopper's orders
    HUB_FALLBACK = "hub_fallback"  # any other /hub address: the one "not found" page
    HUB_FILE = "hub_file"  # a file about one of the signed-in shopper's orders (a PDF)
    STAFF = "staff"  # the brand staff's bearer token (the returns API)
    CONSOLE_PAGE = "console_page"  # an admin console page: any signed-in team member
    CONSOLE_FORM = "console_form"  # a console form that changes settings: owner and admin
    CONSOLE_USE = "console_use"  # a console form every role may use (preview, running tests)
    CONSOLE_EDITOR_PAGE = "console_editor_page"  # a GET only owner and admin may open (app install)
    CONSOLE_VISITOR = "console_visitor"  # console sign-in, invitation and reset forms
    CONSOLE_ANSWER = "console_answer"  # an inbox form: owner, admin, manager, agent (no viewer)
    CONSOLE_SOCKET = "console_socket"  # the inbox's WebSocket: a signed-in member's cookie


class Attack(StrEnum):
    NO_DATA = "anyone"  # a stranger with no credentials at all
    NO_TOKEN = "no_token"
    WRONG_SHOPPER = "wrong_shopper"  # another shopper's valid credentials
    WRONG_BRAND = "wrong_brand"  # a valid token of another brand's conversation
    UNKNOWN = "unknown_id"
    OUTSIDE_DEMO = "outside_demo"
    UNSIGNED = "unsigned"
    SIGNED_OUT = "signed_out"
    EXPIRED = "expired_session"
    REUSED = "reused_handoff_token"
    NO_CSRF = "no_csrf"
    VIEWER = "team_viewer"  # a signed-in team member with the viewer role
    # Another role is another attack: tried on the console routes that role may not use.


@dataclass(frozen=True)
class Expect:
    statuses: tuple[int, ...]
    to: str | None = None  # a redirect's target must start with this
    # False only where the request carries the victim's own cookies (a forged form post):
    # the forger never reads the answer, and what counts is the refusal.
    checks_body: bool = True


SIGN_IN = Expect((303,), "/hub/sign-in?")
CONSOLE_SIGN_IN = Expect((303,), "/admin/sign-in?")
HIDDEN = Expect((404,))

ATTACKS: dict[Guard, dict[Attack, Expect]] = {
    Guard.OPEN: {Attack.NO_DATA: Expect((200, 201, 304, 404))},
    Guard.DOCS: {Attack.NO_DATA: Expect((200,))},
    Guard.BEARER: {
        Attack.NO_TOKEN: Expect((401,)),
        Attack.WRONG_SHOPPER: Expect((401,)),
        Attack.WRONG_BRAND: Expect((401,)),
        Attack.UNKNOWN: HIDDEN,
    },
    Guard.SOCKET: {
        Attack.NO_TOKEN: Expect((4401,)),
        Attack.WRONG_SHOPPER: Expect((4401,)),
        Attack.WRONG_BRAND: Expect((4401,)),
        Attack.UNKNOWN: Expect((4404,)),
    },
    Guard.DEV: {Attack.OUTSIDE_DEMO: HIDDEN},
    # 404: a returns provider this brand has not connected has no webhook to receive.
    Guard.SIGNED: {Attack.UNSIGNED: Expect((401, 403, 404))},
    Guard.VISITOR_PAGE: {Attack.NO_DATA: Expect((200, 303, 410))},
    Guard.VISITOR_FORM: {Attack.NO_CSRF: Expect((403,))},
    Guard.PAGE_FORM: {Attack.NO_CSRF: Expect((403,))},
    Guard.HUB_HOME: {
        Attack.SIGNED_OUT: SIGN_IN,
        Attack.WRONG_SHOPPER: Expect((200,)),  # Ben's own list: none of Ava's data
        Attack.EXPIRED: SIGN_IN,
        Attack.REUSED: SIGN_IN,
    },
    Guard.HUB_ORDER: {
        Attack.SIGNED_OUT: SIGN_IN,
        Attack.WRONG_SHOPPER: HIDDEN,
        Attack.EXPIRED: SIGN_IN,
        Attack.REUSED: SIGN_IN,
    },
    Guard.HUB_ORDER_FORM: {
        Attack.SIGNED_OUT: SIGN_IN,
        Attack.WRONG_SHOPPER: HIDDEN,
        Attack.EXPIRED: SIGN_IN,
        Attack.NO_CSRF: Expect((403,), checks_body=False),
    },
    Guard.HUB_FALLBACK: {Attack.SIGNED_OUT: HIDDEN, Attack.WRONG_SHOPPER: HIDDEN},
    Guard.HUB_FILE: {
        Attack.SIGNED_OUT: SIGN_IN,
        Attack.WRONG_SHOPPER: HIDDEN,
        Attack.EXPIRED: SIGN_IN,
    },
    Guard.CONSOLE_PAGE: {
        Attack.SIGNED_OUT: CONSOLE_SIGN_IN,
        Attack.WRONG_SHOPPER: CONSOLE_SIGN_IN,  # a shopper's Hub session is not a team one
    },
    Guard.CONSOLE_FORM: {
        Attack.SIGNED_OUT: CONSOLE_SIGN_IN,
        Attack.WRONG_SHOPPER: CONSOLE_SIGN_IN,
        Attack.VIEWER: Expect((403,)),
        Attack.NO_CSRF: Expect((403,)),
    },
    Guard.CONSOLE_EDITOR_PAGE: {
        Attack.SIGNED_OUT: CONSOLE_SIGN_IN,
        Attack.WRONG_SHOPPER: CONSOLE_SIGN_IN,
        Attack.VIEWER: Expect((403,)),
    },
    Guard.CONSOLE_USE: {
        Attack.SIGNED_OUT: CONSOLE_SIGN_IN,
        Attack.WRONG_SHOPPER: CONSOLE_SIGN_IN,
        Attack.NO_CSRF: Expect((403,)),
    },
    Guard.CONSOLE_VISITOR: {Attack.NO_CSRF: Expect((403,))},
    Guard.CONSOLE_ANSWER: {
        Attack.SIGNED_OUT: CONSOLE_SIGN_IN,
        Attack.WRONG_SHOPPER: CONSOLE_SIGN_IN,
        Attack.VIEWER: Expect((403,)),
        Attack.NO_CSRF: Expect((403,)),
    },
    Guard.CONSOLE_SOCKET: {
        Attack.SIGNED_OUT: Expect((4401,)),
        Attack.WRONG_SHOPPER: Expect((4401,)),  # a shopper's Hub session is not a team one
    },
    Guard.STAFF: {
        Attack.NO_TOKEN: Expect((401,)),
        Attack.WRONG_SHOPPER: Expect((401,)),  # a shopper's conversation token
        Attack.WRONG_BRAND: Expect((401,)),  # another brand's staff token
    },
}

GUARDS: dict[tuple[str, str], Guard] = {
    ("GET", "/openapi.json"): Guard.DOCS,
    ("GET", "/docs"): Guard.DOCS,
    ("GET", "/docs/assets/{name}"): Guard.DOCS,
    ("GET", "/favicon.svg"): Guard.OPEN,
    ("GET", "/favicon.ico"): Guard.OPEN,
    ("GET", "/demo/logo.svg"): Guard.OPEN,
    ("GET", "/admin/assets/console.js"): Guard.OPEN,
    ("POST", "/api/v1/conversations"): Guard.OPEN,
    ("POST", "/api/v1/conversations/{conversation_id}/messages"): Guard.BEARER,
    ("GET", "/api/v1/conversations/{conversation_id}"): Guard.BEARER,
    (WEBSOCKET, "/api/v1/conversations/{conversation_id}/ws"): Guard.SOCKET,
    ("GET", "/api/v1/dev/outbox"): Guard.DEV,
    ("GET", "/api/v1/widget/config"): Guard.OPEN,
    ("GET", "/widget.js"): Guard.OPEN,
    ("GET", "/demo/shop"): Guard.OPEN,
    ("GET", "/demo/shop/products/{handle}"): Guard.OPEN,
    ("GET", "/"): Guard.OPEN,
    ("GET", "/readyz"): Guard.OPEN,
    ("GET", "/metrics"): Guard.OPEN,  # counts and latencies only, never a shopper's data
    ("GET", "/help/{slug}"): Guard.OPEN,
    ("POST", "/webhooks/twilio/messages"): Guard.SIGNED,
    ("POST", "/webhooks/twilio/status"): Guard.SIGNED,
    ("POST", "/webhooks/email/mailgun"): Guard.SIGNED,
    ("POST", "/webhooks/email/sendgrid/{secret}"): Guard.SIGNED,
    ("GET", "/hub/sign-in"): Guard.VISITOR_PAGE,
    ("GET", "/hub/sign-in/code"): Guard.VISITOR_PAGE,
    ("GET", "/hub/sign-in/link"): Guard.VISITOR_PAGE,
    ("POST", "/hub/sign-in"): Guard.VISITOR_FORM,
    ("POST", "/hub/sign-in/code"): Guard.VISITOR_FORM,
    ("POST", "/hub/sign-in/link"): Guard.VISITOR_FORM,
    ("POST", "/hub/sign-in/switch"): Guard.VISITOR_FORM,
    ("POST", "/hub/sign-out"): Guard.PAGE_FORM,
    ("GET", "/hub"): Guard.HUB_HOME,
    ("GET", "/hub/orders/{number}"): Guard.HUB_ORDER,
    ("GET", "/hub/orders/{number}/track"): Guard.HUB_ORDER,
    ("GET", "/hub/orders/{number}/track/{position}"): Guard.HUB_ORDER,
    ("GET", "/hub/orders/{number}/edit"): Guard.HUB_ORDER,
    ("GET", "/hub/orders/{number}/cancel"): Guard.HUB_ORDER,
    ("GET", "/hub/orders/{number}/return"): Guard.HUB_ORDER,
    ("POST", "/hub/orders/{number}/edit/variant"): Guard.HUB_ORDER_FORM,
    ("POST", "/hub/orders/{number}/edit/quantity"): Guard.HUB_ORDER_FORM,
    ("POST", "/hub/orders/{number}/edit/address"): Guard.HUB_ORDER_FORM,
    ("POST", "/hub/orders/{number}/cancel"): Guard.HUB_ORDER_FORM,
    ("POST", "/hub/orders/{number}/return/preview"): Guard.HUB_ORDER_FORM,
    ("POST", "/hub/orders/{number}/return"): Guard.HUB_ORDER_FORM,
    ("GET", "/hub/orders/{number}/return/{rma}/slip.pdf"): Guard.HUB_FILE,
    ("GET", "/api/v1/returns"): Guard.STAFF,
    ("GET", "/api/v1/returns/{rma}"): Guard.STAFF,
    ("POST", "/api/v1/returns/{rma}/state"): Guard.STAFF,
    ("POST", "/webhooks/shopify"): Guard.SIGNED,
    ("POST", "/webhooks/returns/loop"): Guard.SIGNED,
    ("POST", "/webhooks/returns/aftership"): Guard.SIGNED,
    ("POST", "/webhooks/helpdesk/zendesk"): Guard.SIGNED,
    ("GET", "/healthz"): Guard.OPEN,
    ("GET", "/admin"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/audit"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/content"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/content/new"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/content/{article_id}"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/content/crawls/{task_id}"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/dashboard"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/dashboard/export.csv"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/dashboard/records/{conversation}"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/handoff"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/integrations"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/launch"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/look"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/policy"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/preview"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/privacy"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/skills"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/skills/{name}"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/team"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/tests"): Guard.CONSOLE_PAGE,
    ("POST", "/admin/content/crawl"): Guard.CONSOLE_FORM,
    ("POST", "/admin/content/save"): Guard.CONSOLE_FORM,
    ("POST", "/admin/content/upload"): Guard.CONSOLE_FORM,
    ("POST", "/admin/content/{article_id}/remove"): Guard.CONSOLE_FORM,
    ("POST", "/admin/handoff"): Guard.CONSOLE_FORM,
    ("POST", "/admin/integrations/{name}/connect"): Guard.CONSOLE_FORM,
    ("POST", "/admin/integrations/{name}/disconnect"): Guard.CONSOLE_FORM,
    ("POST", "/admin/integrations/{name}/test"): Guard.CONSOLE_FORM,
    ("GET", "/admin/integrations/shopify/progress"): Guard.CONSOLE_PAGE,
    ("POST", "/admin/integrations/shopify/sync"): Guard.CONSOLE_FORM,
    ("GET", "/admin/shopify/install"): Guard.CONSOLE_EDITOR_PAGE,
    ("GET", "/admin/shopify/callback"): Guard.CONSOLE_EDITOR_PAGE,
    ("GET", "/admin/shopify-sync.js"): Guard.OPEN,
    ("POST", "/admin/launch/addresses"): Guard.CONSOLE_FORM,
    ("POST", "/admin/launch/publish"): Guard.CONSOLE_FORM,
    ("POST", "/admin/launch/test-mode"): Guard.CONSOLE_FORM,
    ("POST", "/admin/look"): Guard.CONSOLE_FORM,
    ("POST", "/admin/policy"): Guard.CONSOLE_FORM,
    ("POST", "/admin/privacy/erase"): Guard.CONSOLE_FORM,
    ("POST", "/admin/privacy/export"): Guard.CONSOLE_FORM,
    ("POST", "/admin/skills/{name}/switch"): Guard.CONSOLE_FORM,
    ("POST", "/admin/team/invite"): Guard.CONSOLE_FORM,
    ("POST", "/admin/team/{member_id}/remove"): Guard.CONSOLE_FORM,
    ("POST", "/admin/team/{member_id}/role"): Guard.CONSOLE_FORM,
    ("POST", "/admin/tests/save"): Guard.CONSOLE_FORM,
    ("POST", "/admin/preview"): Guard.CONSOLE_USE,
    ("POST", "/admin/preview/{conversation}/say"): Guard.CONSOLE_USE,
    ("POST", "/admin/tests/run"): Guard.CONSOLE_USE,
    ("POST", "/admin/helpdesk/availability"): Guard.CONSOLE_USE,
    ("POST", "/admin/sign-out"): Guard.CONSOLE_USE,
    ("GET", "/admin/sign-in"): Guard.VISITOR_PAGE,
    ("GET", "/admin/invitation"): Guard.OPEN,  # 404 without its token
    ("GET", "/admin/reset"): Guard.OPEN,  # 404 without its token
    ("GET", "/admin/reset-request"): Guard.VISITOR_PAGE,
    ("POST", "/admin/sign-in"): Guard.CONSOLE_VISITOR,
    ("POST", "/admin/invitation"): Guard.CONSOLE_VISITOR,
    ("POST", "/admin/reset"): Guard.CONSOLE_VISITOR,
    ("POST", "/admin/reset-request"): Guard.CONSOLE_VISITOR,
    ("GET", "/admin/assets/inbox.js"): Guard.OPEN,  # the inbox's script, no data
    ("GET", "/admin/inbox"): Guard.CONSOLE_PAGE,
    ("GET", "/admin/inbox/{ticket_id}"): Guard.CONSOLE_PAGE,
    ("POST", "/admin/inbox/availability"): Guard.CONSOLE_ANSWER,
    ("POST", "/admin/inbox/{ticket_id}/reply"): Guard.CONSOLE_ANSWER,
    ("POST", "/admin/inbox/{ticket_id}/note"): Guard.CONSOLE_ANSWER,
    ("POST", "/admin/inbox/{ticket_id}/status"): Guard.CONSOLE_ANSWER,
    ("POST", "/admin/inbox/{ticket_id}/assign"): Guard.CONSOLE_ANSWER,
    ("POST", "/admin/inbox/{ticket_id}/hand-back"): Guard.CONSOLE_ANSWER,
    (WEBSOCKET, "/admin/inbox/{ticket_id}/ws"): Guard.CONSOLE_SOCKET,
    ("GET", "/hub/{rest:path}"): Guard.HUB_FALLBACK,
    ("POST", "/hub/{rest:path}"): Guard.HUB_FALLBACK,
}

# What each path parameter is filled with: the victim's (Ava's) things.
PATH_VALUES = {
    "number": "1001",
    "position": "1",
    "rest": "orders/1001/secret",
    "slug": "returns-and-refunds",
    "handle": "canvas-tote",
    "secret": "not-the-secret",
    "rma": "RMA-1011-1",
    "name": "swagger-ui.css",
    "article_id": "1",
    "conversation": "1",
    "member_id": "1",  # Ava's return of the hiking boots
}


def served_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """Every (method, path) the app answers, read from its route table (HEAD left out)."""
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        for r in contexts() if contexts else [route]:
            path = getattr(r, "path", "") or getattr(getattr(r, "original_route", None), "path", "")
            methods = getattr(r, "methods", None)
            for method in sorted(methods - {"HEAD"}) if methods else [WEBSOCKET]:
                yield method, path


def cases() -> Iterator[tuple[str, str, Attack]]:
    for (method, path), guard in GUARDS.items():
        for attack in ATTACKS[guard]:
            yield method, path, attack
