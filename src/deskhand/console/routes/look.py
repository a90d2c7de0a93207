"""Brand look: the logo and the Customer Hub's name per language, which the Hub and the web
chat wear (`db/brand_look.py`). Validated; every change in the audit log."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode, urlsplit

from fastapi.responses import Response

from deskhand.console.context import ConsoleRequest
from deskhand.console.deps import EditorForm, Member, console_router
from deskhand.db import models
from deskhand.domain.colours import DEFAULT_ACCENT
from deskhand.team.audit import changed_fields, recent_changes, record_change

router = console_router()
MAX_LOGO = 500
MAX_NAME = 60
LANGUAGE_NAMES = {
    "en": "English",
    "de": "German",
    "nl": "Dutch",
    "sv": "Swedish",
    "fr": "French",
    "es": "Spanish",
}


def logo_problem(url: str) -> str:
    """Why a logo address is refused ("" when it is fine: empty, https, or a path here)."""
    if not url:
        return ""
    if len(url) > MAX_LOGO or any(c.isspace() or ord(c) < 32 for c in url):
        return f"An address of at most {MAX_LOGO} characters, without spaces."
    if url.startswith("/") and not url.startswith("//"):
        return ""  # a file this server serves (the demo's logo)
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return "An https:// address (or leave it empty for no logo)."
    return ""


def name_problem(name: str) -> str:
    if len(name) > MAX_NAME:
        return f"At most {MAX_NAME} characters."
    if any(ord(c) < 32 for c in name):
        return "Letters, numbers and punctuation only."
    return ""


def _render(
    console: ConsoleRequest,
    logo: str,
    names: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    changes = [c for c in recent_changes(console.db, console.brand.id) if c.area == "look"]
    return console.render(
        "look.html",
        status=status,
        logo=logo,
        names=names,
        errors=errors,
        languages=[(code, LANGUAGE_NAMES.get(code, code)) for code in console.brand.languages],
        changes=changes[:20],
    )


@router.get("/look")
def look_page(me: Member) -> Response:
    console = me.console
    row = console.db.get(models.WidgetSettings, console.brand.id)
    names = {str(k): str(v) for k, v in ((row.portal_names or {}) if row else {}).items()}
    return _render(console, (row.logo_url or "") if row else "", names, {})


@router.post("/look")
def save_look(post: EditorForm) -> Response:
    console, form = post.console, post.form
    logo = form.get("logo_url", MAX_LOGO + 1).strip()
    names = {
        code: " ".join(form.get(f"portal_{code}", MAX_NAME + 1).split())
        for code in console.brand.languages
    }
    errors = {"logo_url": logo_problem(logo)} | {
        f"portal_{code}": name_problem(name) for code, name in names.items()
    }
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        return _render(console, logo, names, errors, status=400)
    row = console.db.get(models.WidgetSettings, console.brand.id)
    if row is None:
        row = _new_settings(console.brand.id, console.now)
        console.db.add(row)
    before = {"logo_url": row.logo_url or "", "portal_names": dict(row.portal_names or {})}
    portal_names = {k: v for k, v in names.items() if v}
    after = {"logo_url": logo, "portal_names": portal_names}
    diff = changed_fields(before, after)
    if diff:
        row.logo_url = logo or None
        row.portal_names = portal_names
        row.updated_at = console.now
        record_change(
            console.db,
            brand_id=console.brand.id,
            member=post.me.member,
            area="look",
            action="brand look changed",
            before={k: v[0] for k, v in diff.items()},
            after={k: v[1] for k, v in diff.items()},
            now=console.now,
        )
    return console.redirect("/admin/look?" + urlencode({"done": "look"}))


def _new_settings(brand_id: int, now: datetime) -> models.WidgetSettings:
    """A brand without widget settings yet: the defaults, as the widget shows them."""
    return models.WidgetSettings(
        brand_id=brand_id,
        accent_colour=DEFAULT_ACCENT,
        position="right",
        greetings={},
        updated_at=now,
    )
