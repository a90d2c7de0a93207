"""Safe launch: a new brand's agent is in test mode until an owner or admin publishes it.

In test mode the agent answers only in Agent Preview (the console) and, on SMS, WhatsApp and
email, the brand's listed test addresses; the public API starts no web-chat conversation.
Published, it answers everyone. The demo brand is seeded published.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from deskhand.db.models import AgentLaunch
from deskhand.domain.contact import normalise_email, normalise_phone

MAX_TEST_ADDRESSES = 50


def launch_of(session: Session, brand_id: int) -> AgentLaunch | None:
    return session.get(AgentLaunch, brand_id)


def is_live(session: Session, brand_id: int) -> bool:
    row = launch_of(session, brand_id)
    return row is not None and row.live


def normalise_address(raw: str) -> str | None:
    """An email address or a phone number (E.164), as the channels give senders."""
    raw = raw.strip()
    if "@" in raw:
        return normalise_email(raw)
    return normalise_phone(raw)


def may_answer(session: Session, brand_id: int, address: str) -> bool:
    """Whether the agent answers this sender: everyone once live, else the test addresses."""
    row = launch_of(session, brand_id)
    if row is not None and row.live:
        return True
    listed = set(row.test_addresses) if row is not None else set()
    return normalise_address(address.removeprefix("whatsapp:")) in listed


def _row(session: Session, brand_id: int, now: datetime) -> AgentLaunch:
    row = launch_of(session, brand_id)
    if row is None:
        row = AgentLaunch(
            brand_id=brand_id, live=False, test_addresses=[], published_at=None, changed_at=now
        )
        session.add(row)
    return row


def set_live(session: Session, brand_id: int, live: bool, now: datetime) -> bool:
    """Publish (or go back to test mode); returns whether it was live."""
    row = _row(session, brand_id, now)
    was = row.live
    row.live, row.changed_at = live, now
    if live and not was:
        row.published_at = now
    session.flush()
    return was


class BadAddresses(ValueError):
    """Some listed test addresses are neither an email address nor a phone number."""


def set_test_addresses(
    session: Session, brand_id: int, lines: list[str], now: datetime
) -> list[str]:
    """Replace the test addresses (one per line); every one must be an email or a phone."""
    found: list[str] = []
    bad: list[str] = []
    for line in (x.strip() for x in lines):
        if not line:
            continue
        address = normalise_address(line)
        if address is None:
            bad.append(line[:80])
        elif address not in found:
            found.append(address)
    if bad:
        raise BadAddresses("Not an email address or phone number: " + ", ".join(bad))
    if len(found) > MAX_TEST_ADDRESSES:
        raise BadAddresses(f"At most {MAX_TEST_ADDRESSES} test addresses.")
    row = _row(session, brand_id, now)
    row.test_addresses, row.changed_at = found, now
    session.flush()
    return found
