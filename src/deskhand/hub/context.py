"""What every Hub request needs: brand, rules, language, session, customer, and responses.

Routes stay thin: the dependencies in `hub.deps` open a `HubRequest`, let `admit()` deal with
the Hub being off, agent hand-off tokens and signed-out visitors, and check posted forms;
routes answer with `render()` or `redirect()`, which add the Hub's cookies and security
headers. A check that ends the request early raises `Answer` with the finished page.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from deskhand.commerce.registry import store_for
from deskhand.commerce.store import Store
from deskhand.confirmations.conversation import open_conversation, shop_page
from deskhand.db import models
from deskhand.db.brand_look import BrandLook, brand_look
from deskhand.db.models import HubSession
from deskhand.domain.orders import Customer, Order
from deskhand.domain.policy import PolicyRules
from deskhand.hub import sessions
from deskhand.hub.forms import PostedForm
from deskhand.hub.i18n import LANG_COOKIE, HubWords, choose_language
from deskhand.nlp.language import native_name
from deskhand.serving.deps import AppState, client_key
from deskhand.verification.handoff import TOKEN_PARAM, customer_of_handoff, redeem_handoff

TEMPLATES = Jinja2Templates(directory=Path(__file__).parents[1] / "web" / "templates")
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
YEAR = 365 * 24 * 3600


class Answer(Exception):
    """A finished page that ends the request early: a gate, a refused form, a missing order.

    What the request wrote so far is kept (a hand-off sign-in, a touched session), as when a
    route returns the page itself.
    """

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


@dataclass
class HubRequest:
    request: Request
    state: AppState
    db: Session
    brand: models.Brand
    rules: PolicyRules
    words: HubWords
    now: datetime
    store: Store
    look: BrandLook
    login: HubSession | None = None
    customer: Customer | None = None
    _cookies: list[tuple[str, str | None, int | None]] = field(default_factory=list)

    # -- who is asking -----------------------------------------------------------------

    @property
    def secret(self) -> str:
        return self.state.agent.secret

    @property
    def client(self) -> str:
        return client_key(self.request)

    @property
    def jar(self) -> sessions.CookieJar:
        return sessions.CookieJar(secure=self.state.settings.base_url.startswith("https://"))

    def set_cookie(self, name: str, value: str | None, max_age: int | None = None) -> None:
        """Set (or, with None, clear) a cookie on whatever response this request returns."""
        self._cookies.append((name, value, max_age))

    def sign_in_as(self, customer_id: int, via: str) -> None:
        """Start a fresh session for this customer, ending any session this browser had."""
        if self.login is not None:
            sessions.end_session(self.login, self.now)
        self.login, token = sessions.start_session(
            self.db, brand_id=self.brand.id, customer_id=customer_id, via=via, now=self.now
        )
        self.customer = self.store.customer(customer_id)
        self.set_cookie(sessions.SESSION_COOKIE, token, int(sessions.IDLE_LIMIT.total_seconds()))
        self.set_cookie(sessions.SIGNIN_COOKIE, None)

    def sign_out(self) -> None:
        if self.login is not None:
            sessions.end_session(self.login, self.now)
        self.login, self.customer = None, None
        self.set_cookie(sessions.SESSION_COOKIE, None)

    # -- CSRF --------------------------------------------------------------------------

    def csrf(self) -> str:
        """The token for this page's forms (session-bound, or pre-session before sign-in)."""
        token = self.request.cookies.get(sessions.SESSION_COOKIE)
        if self.login is not None and token:
            return sessions.csrf_token(self.secret, "session", token)
        pre = self._pre_session_id()
        return sessions.csrf_token(self.secret, "pre", pre)

    def _pre_session_id(self) -> str:
        pre = self.request.cookies.get(sessions.PRE_COOKIE, "")
        planned = next((v for n, v, _ in self._cookies if n == sessions.PRE_COOKIE and v), None)
        if planned:
            return planned
        if 20 <= len(pre) <= 64:
            return pre
        pre = secrets.token_urlsafe(24)
        self.set_cookie(sessions.PRE_COOKIE, pre, YEAR)
        return pre

    def csrf_ok(self, sent: str) -> bool:
        token = self.request.cookies.get(sessions.SESSION_COOKIE)
        if self.login is not None and token:
            return sessions.csrf_ok(self.secret, "session", token, sent)
        return sessions.csrf_ok(
            self.secret, "pre", self.request.cookies.get(sessions.PRE_COOKIE), sent
        )

    # -- gates -------------------------------------------------------------------------

    def admit(self, signed_in: bool = True) -> None:
        """Let the request through, or raise the page that replaces it: the Hub off, a
        hand-off link (signed in, then the same page without the token), sign-in first."""
        if not self.rules.hub_enabled:
            raise Answer(self.hub_off())
        handoff = self.request.query_params.get(TOKEN_PARAM)
        if handoff is not None and self.login is not None:
            self._handoff_while_signed_in(handoff)
        if handoff is not None:
            customer_id = redeem_handoff(
                self.db, brand_id=self.brand.id, token=handoff, now=self.now
            )
            if customer_id is not None:
                self.sign_in_as(customer_id, "handoff")
                raise Answer(self.redirect(self.request.url.path))
            if self.login is None:
                raise Answer(self.redirect(self.sign_in_url(self.request.url.path, reason="link")))
            raise Answer(self.redirect(self.request.url.path))
        if signed_in and self.login is None:
            raise Answer(self.redirect(self.sign_in_url(self.request.url.path)))

    def _handoff_while_signed_in(self, token: str) -> None:
        """A hand-off link opened in a browser that is already signed in.

        A link never replaces a session on its own (login CSRF: someone else's link would
        switch this shopper to that account): the same customer's link is used up and the
        page shown; another customer's link asks first, and only a press switches.
        """
        assert self.login is not None
        path = self.request.url.path
        wanted = customer_of_handoff(self.db, brand_id=self.brand.id, token=token, now=self.now)
        if wanted is None or wanted == self.login.customer_id:
            if wanted is not None:
                redeem_handoff(self.db, brand_id=self.brand.id, token=token, now=self.now)
            raise Answer(self.redirect(path))
        raise Answer(self.render("hub/switch.html", status=200, token=token, next_path=path))

    def check_post(self, form: PostedForm) -> None:
        """Refuse an oversized body, then a missing or wrong CSRF token."""
        if form.too_large:
            raise Answer(
                self.problem(413, "hub.problem.too_large_title", "hub.problem.too_large_body")
            )
        if not self.csrf_ok(form.get("csrf")):
            raise Answer(self.problem(403, "hub.problem.csrf_title", "hub.problem.csrf_body"))

    def sign_in_url(self, next_path: str, reason: str | None = None) -> str:
        query = {"next": next_path}
        if reason:
            query["reason"] = reason
        return f"/hub/sign-in?{urlencode(query)}"

    def order(self, number: str) -> Order | None:
        """This shopper's order with this number; None for a missing or someone else's."""
        if self.customer is None or not number.isdigit() or len(number) > 32:
            return None
        return self.store.order_of(self.customer.id, number)

    def flash(self, key: str, **params: Any) -> None:
        if self.login is not None:
            self.login.flash = {"key": key, "params": params}

    def _take_flash(self) -> str | None:
        if self.login is None or not self.login.flash:
            return None
        flash, self.login.flash = self.login.flash, None
        try:
            return self.words.t(flash["key"], **flash.get("params", {}))
        except (KeyError, ValueError):
            return None

    # -- responses ---------------------------------------------------------------------

    def _finish(self, response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        jar = self.jar
        for name, value, max_age in self._cookies:
            if value is None:
                jar.clear(response, name)
            else:
                jar.set(response, name, value, max_age)
        return response

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        w = self.words
        base = {
            "lang": w.lang,
            "t": w.t,
            "w": w,
            "brand": self.brand,
            "customer": self.customer,
            "csrf": self.csrf(),
            "flash": self._take_flash(),
            "here": _here(self.request),
            "rules": self.rules,
            "now": self.now,
            "languages": [(code, native_name(code)) for code in self.brand.languages],
            "look": self.look,
            "portal": w.portal,
            "back_url": self.back_url(),
        }
        response = TEMPLATES.TemplateResponse(
            self.request, template, {**base, **context}, status_code=status
        )
        return self._finish(response)

    def back_url(self) -> str | None:
        """Where "back to the shop" goes: the page the shopper chatted from, else the shop."""
        if self.customer is not None:
            conv = open_conversation(
                self.db, brand_id=self.brand.id, customer_id=self.customer.id, now=self.now
            )
            page = shop_page(self.db, conv) if conv is not None else None
            if page:
                return page
        shop = self.brand.shop_url or ""
        if shop.startswith(("https://", "http://")):
            return shop
        if shop.startswith("/") and not shop.startswith("//"):
            return shop
        return None

    def redirect(self, url: str) -> Response:
        return self._finish(RedirectResponse(url, status_code=303))

    def problem(
        self, status: int, title_key: str, body_key: str, headers: dict[str, str] | None = None
    ) -> Response:
        """A page-level problem as an HTML page in the shopper's language."""
        response = self.render(
            "hub/problem.html", status=status, title_key=title_key, body_key=body_key
        )
        response.headers.update(headers or {})
        return response

    def hub_off(self) -> Response:
        """The one page of every Hub address while the brand has the Hub switched off."""
        return self.problem(404, "hub.problem.off_title", "hub.problem.off_body")

    def slow_down(self, wait: float) -> Response:
        """Too many tries from this client: when to try again."""
        return self.problem(
            429,
            "hub.problem.slow_down_title",
            "hub.problem.slow_down_body",
            headers={"Retry-After": str(int(wait) + 1)},
        )

    def not_found(self) -> Response:
        """The one page for a missing order and for someone else's: it reveals nothing."""
        return self.problem(404, "hub.problem.not_found_title", "hub.problem.not_found_body")


def _here(request: Request) -> str:
    """The address that shows this page again (for the language links), even after a POST."""
    path = request.url.path
    if path in ("/hub/sign-in/link", "/hub/sign-out"):
        return "/hub/sign-in"
    if request.method == "GET":
        return path
    if path.rsplit("/", 1)[-1] in ("variant", "quantity", "address"):
        return path.rsplit("/", 1)[0]
    return path


@dataclass(frozen=True)
class SignedIn:
    """A Hub request of a signed-in customer: the session and the customer are there."""

    hub: HubRequest
    login: HubSession
    customer: Customer

    def own_order(self, number: str) -> Order:
        """This customer's order with this number, else the one "not found" page."""
        order = self.hub.order(number)
        if order is None:
            raise Answer(self.hub.not_found())
        return order


def open_hub(request: Request, state: AppState, db: Session, brand: models.Brand) -> HubRequest:
    """The Hub's view of this request: language, rules, the Store and who is signed in."""
    now = datetime.now(UTC)
    query_lang = request.query_params.get("lang")
    lang = choose_language(
        query=query_lang,
        cookie=request.cookies.get(LANG_COOKIE),
        accept=request.headers.get("accept-language", ""),
        offered=list(brand.languages),
        default=brand.default_language,
    )
    look = brand_look(db, brand)
    hub = HubRequest(
        request=request,
        state=state,
        db=db,
        brand=brand,
        rules=PolicyRules.from_json(brand.policy),
        words=HubWords(lang, brand.timezone, brand.currency, portal=look.portal(lang)),
        now=now,
        store=store_for(db, brand),
        look=look,
    )
    if query_lang and query_lang.lower() == lang:
        hub.set_cookie(LANG_COOKIE, lang, YEAR)
    hub.login = sessions.current_session(
        db, brand_id=brand.id, token=request.cookies.get(sessions.SESSION_COOKIE), now=now
    )
    if hub.login is not None:
        hub.customer = hub.store.customer(hub.login.customer_id)
        if hub.customer is None:
            hub.login = None
    return hub
