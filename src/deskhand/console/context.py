"""What every console request needs: the brand, the moment, the signed-in member, CSRF, and
its responses (pages with the console's headers and cookies, redirects, refusals).

A check that ends the request early raises `Answer` with the finished response.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from deskhand.console.forms import PostedForm
from deskhand.console.inbox_queries import view_counts
from deskhand.db import models
from deskhand.domain.vocabulary import TeamRole
from deskhand.serving.deps import AppState
from deskhand.team import sessions
from deskhand.team.roles import may_change_settings, role_of

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
SESSION_COOKIE = "team_session"
PRE_COOKIE = "team_pre"  # binds the sign-in forms' CSRF token to this browser
COOKIE_PATH = "/admin"
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        # This server's own script files only (the Content page's import progress, the Shopify
        # sync's progress, the inbox), never inline.
        "script-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# What a page says after a change went through (`?done=<key>`); only these texts are shown.
FLASHES = {
    "policy": "Policy saved.",
    "skill": "Skill saved.",
    "invited": "Invitation sent.",
    "role": "Role changed.",
    "removed": "Access removed.",
    "password": "Password set. You are signed in.",
    "launch": "Launch settings saved.",
    "tests": "Suite saved.",
    "integration": "Integration saved.",
    "shopify_sync": "Shopify sync requested: its progress below updates by itself.",
    "shopify_installed": "Shopify connected through the app install. Next: sync now.",
    "content": "Content saved.",
    "crawl": "Help centre import queued: its progress is shown below.",
    "look": "Brand look saved.",
    "handoff": "Handoff settings saved.",
    "availability": "Availability saved.",
    "reset": "If that address belongs to the team, a reset link is on its way.",
    "reply": "Reply sent.",
    "note": "Note added.",
    "status": "Status changed.",
    "assigned": "Assignee changed.",
    "handed_back": "Handed back: the agent answers this conversation again.",
}


class Answer(Exception):
    """A finished response that ends the request early (a gate, a refused form)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


@dataclass
class ConsoleRequest:
    request: Request
    state: AppState
    db: Session
    brand: models.Brand
    now: datetime
    signed_in: sessions.SignedIn | None = None
    _cookies: list[tuple[str, str | None, int | None]] = field(default_factory=list)

    @property
    def secret(self) -> str:
        return self.state.agent.secret

    @property
    def member(self) -> models.TeamMember | None:
        return self.signed_in.member if self.signed_in else None

    @property
    def role(self) -> TeamRole | None:
        return role_of(self.member.role) if self.member else None

    @property
    def may_change(self) -> bool:
        return self.role is not None and may_change_settings(self.role)

    def set_cookie(self, name: str, value: str | None, max_age: int | None = None) -> None:
        self._cookies.append((name, value, max_age))

    # -- sign-in -------------------------------------------------------------------------

    def sign_in(self, member: models.TeamMember) -> None:
        """A fresh session for this member (any session this browser had ends)."""
        if self.signed_in is not None:
            sessions.end_session(self.signed_in.session, self.now)
        token = sessions.start_session(self.db, member, self.now)
        self.set_cookie(SESSION_COOKIE, token, int(sessions.MAX_AGE.total_seconds()))

    def sign_out(self) -> None:
        if self.signed_in is not None:
            sessions.end_session(self.signed_in.session, self.now)
        self.signed_in = None
        self.set_cookie(SESSION_COOKIE, None)

    # -- CSRF ------------------------------------------------------------------------------

    def _pre_session_id(self) -> str:
        planned = next((v for n, v, _ in self._cookies if n == PRE_COOKIE and v), None)
        if planned:
            return planned
        pre = self.request.cookies.get(PRE_COOKIE, "")
        if 20 <= len(pre) <= 64:
            return pre
        pre = secrets.token_urlsafe(24)
        self.set_cookie(PRE_COOKIE, pre, 24 * 3600)
        return pre

    def csrf(self) -> str:
        """The token of this page's forms: bound to the session, or to the pre-session."""
        token = self.request.cookies.get(SESSION_COOKIE)
        if self.signed_in is not None and token:
            return sessions.csrf_token(self.secret, f"session:{token}")
        return sessions.csrf_token(self.secret, f"pre:{self._pre_session_id()}")

    def check_post(self, form: PostedForm) -> None:
        """Refuse an oversized body, then a missing or wrong CSRF token."""
        if form.too_large:
            raise Answer(self.refuse(413, "Too large", "The form was larger than allowed."))
        token = self.request.cookies.get(SESSION_COOKIE)
        if self.signed_in is not None and token:
            ok = sessions.csrf_ok(self.secret, f"session:{token}", form.get("csrf"))
        else:
            pre = self.request.cookies.get(PRE_COOKIE)
            ok = bool(pre) and sessions.csrf_ok(self.secret, f"pre:{pre}", form.get("csrf"))
        if not ok:
            raise Answer(
                self.refuse(
                    403,
                    "The form expired",
                    "The page was open too long or came from elsewhere. Reload it and try again.",
                )
            )

    # -- responses ---------------------------------------------------------------------------

    def _finish(self, response: Response) -> Response:
        response.headers.update(PAGE_HEADERS)
        secure = self.state.settings.base_url.startswith("https://")
        for name, value, max_age in self._cookies:
            if value is None:
                response.delete_cookie(
                    name, path=COOKIE_PATH, httponly=True, samesite="lax", secure=secure
                )
            else:
                response.set_cookie(
                    name,
                    value,
                    max_age=max_age,
                    path=COOKIE_PATH,
                    httponly=True,
                    samesite="lax",
                    secure=secure,
                )
        return response

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        base = {
            "brand": self.brand,
            "member": self.member,
            "role": self.role,
            "may_change": self.may_change,
            "csrf": self.csrf(),
            "path": self.request.url.path,
            "flash": FLASHES.get(self.request.query_params.get("done", ""), ""),
            "inbox_counts": (
                view_counts(self.db, self.brand.id, self.member.id) if self.member else {}
            ),
        }
        response = TEMPLATES.TemplateResponse(
            self.request, template, {**base, **context}, status_code=status
        )
        return self._finish(response)

    def redirect(self, url: str) -> Response:
        return self._finish(RedirectResponse(url, status_code=303))

    def refuse(self, status: int, title: str, body: str) -> Response:
        return self.render("problem.html", status=status, title=title, body=body)


def open_console(
    request: Request, state: AppState, db: Session, brand: models.Brand
) -> ConsoleRequest:
    now = datetime.now(UTC)
    console = ConsoleRequest(request, state, db, brand, now)
    console.signed_in = sessions.current_session(
        db, brand_id=brand.id, token=request.cookies.get(SESSION_COOKIE), now=now
    )
    return console
