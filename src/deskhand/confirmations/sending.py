"""Word a confirmation from its kind's templates and put it into the outbox.

The email has a plain-text and an HTML part; a text goes out too when the shopper's
conversation is on SMS. Both are rows of the outbox written in the caller's transaction, so a
change and its confirmation are kept or lost together, and the worker delivers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import Wording
from deskhand.db import models
from deskhand.db.brand_look import BrandLook
from deskhand.domain.orders import Money
from deskhand.domain.vocabulary import ConfirmationKind
from deskhand.jobs.outbox import enqueue

TEMPLATES = Path(__file__).parent / "templates"
# Text templates are plain text; only `.html` ones escape what they insert.
_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)
SMS_LIMIT = 300  # characters: two GSM segments; a confirmation text stays short


@dataclass(frozen=True)
class Confirmation:
    """What happened to an order, already decided; the templates only word it."""

    kind: ConfirmationKind
    order_number: str
    happened_at: datetime
    changes: tuple[str, ...] = ()  # one worded line per thing that changed
    fee: Money | None = None
    refund: Money | None = None
    refund_days: int | None = None
    hub_path: str = "/hub"  # the Hub page about it


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str | None
    sms: str | None = None  # the number of the shopper's SMS conversation, if any


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    sms: str


def hub_link(base_url: str, path: str, lang: str) -> str:
    """The Hub page in the shopper's language (sign-in first; no token in an email)."""
    return f"{base_url.rstrip('/')}{path}?{urlencode({'lang': lang})}"


def render(
    c: Confirmation, *, words: Wording, look: BrandLook, recipient: Recipient, url: str
) -> Rendered:
    """The confirmation's subject, text and HTML parts and its text message."""
    context = {
        "c": c,
        "t": words.t,
        "w": words,
        "look": look,
        "brand": look.name,
        "name": recipient.name,
        "url": url,
        "when": words.t("hub.at", day=words.day(c.happened_at), time=words.clock(c.happened_at)),
        "clock": words.clock(c.happened_at),
        "lang": words.lang,
    }
    kind = c.kind.value
    subject = words.t(f"confirm.{kind}.subject", number=c.order_number)
    sms = _ENV.get_template(f"{kind}.sms").render(context)
    return Rendered(
        subject=subject,
        text=_ENV.get_template(f"{kind}.txt").render(context).strip() + "\n",
        html=_ENV.get_template(f"{kind}.html").render(context, subject=subject),
        sms=" ".join(sms.split())[:SMS_LIMIT],
    )


def send_confirmation(
    session: Session,
    *,
    brand: models.Brand,
    look: BrandLook,
    confirmation: Confirmation,
    recipient: Recipient,
    words: Wording,
    base_url: str,
    key: str,
    now: datetime,
    conversation_id: str | None = None,
) -> list[models.OutboxMessage]:
    """Enqueue the email (and the SMS, for an SMS conversation); `key` makes them unique."""
    url = hub_link(base_url, confirmation.hub_path, words.lang)
    done = render(confirmation, words=words, look=look, recipient=recipient, url=url)
    rows: list[models.OutboxMessage] = []
    if recipient.email:
        row = enqueue(
            session,
            brand_id=brand.id,
            kind="email",
            recipient=recipient.email.strip().lower(),
            subject=done.subject,
            body=done.text,
            idempotency_key=f"{key}:email"[:100],
            now=now,
        )
        row.payload = {"html": done.html, "from_name": brand.name, "confirmation": key}
        rows.append(row)
    if recipient.sms:
        row = enqueue(
            session,
            brand_id=brand.id,
            kind="sms",
            recipient=recipient.sms,
            subject="",
            body=done.sms,
            idempotency_key=f"{key}:sms"[:100],
            now=now,
        )
        row.payload = {"part": 1, "parts": 1, "confirmation": key}
        row.conversation_id = conversation_id
        rows.append(row)
    session.flush()
    return rows
