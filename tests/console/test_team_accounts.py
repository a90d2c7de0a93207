"""Team accounts: passwords, lockout, sessions, invitations and resets (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.domain.vocabulary import TeamRole
from deskhand.team import sessions
from deskhand.team.accounts import (
    LOCKOUT,
    MAX_FAILURES,
    AccountError,
    SignIn,
    add_member,
    change_role,
    deactivate,
    find_member,
    sign_in,
)
from deskhand.team.demo import DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD
from deskhand.team.invitations import Purpose, invite, open_token, request_reset, use_token

PASSWORD = "correct horse battery"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def brand_id(session: Session) -> int:
    brand = find_brand(session)
    assert brand is not None
    return brand.id


def outbox_to(session: Session, address: str) -> list[models.OutboxMessage]:
    return list(
        session.scalars(
            select(models.OutboxMessage).where(models.OutboxMessage.recipient == address)
        )
    )


def test_password_is_stored_only_as_an_argon2_hash(session: Session) -> None:
    member = add_member(
        session,
        brand_id=brand_id(session),
        email=" Mia@Example.com ",
        role=TeamRole.AGENT,
        now=NOW,
        password=PASSWORD,
    )
    assert member.email == "mia@example.com"
    assert member.password_hash.startswith("$argon2id$")
    assert PASSWORD not in member.password_hash
    ok = sign_in(
        session, brand_id=member.brand_id, email="MIA@example.com", password=PASSWORD, now=NOW
    )
    assert ok.outcome is SignIn.OK
    assert ok.member is member


def test_short_password_and_duplicate_address_are_refused(session: Session) -> None:
    bid = brand_id(session)
    with pytest.raises(AccountError, match="at least 12"):
        add_member(
            session,
            brand_id=bid,
            email="a@example.com",
            role=TeamRole.AGENT,
            now=NOW,
            password="short",
        )
    with pytest.raises(AccountError, match="already on the team"):
        add_member(session, brand_id=bid, email=DEMO_OWNER_EMAIL, role=TeamRole.AGENT, now=NOW)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(session: Session) -> None:
    bid = brand_id(session)
    for _ in range(MAX_FAILURES - 1):
        r = sign_in(
            session, brand_id=bid, email=DEMO_OWNER_EMAIL, password="wrong password!", now=NOW
        )
        assert r.outcome is SignIn.WRONG
    locked = sign_in(
        session, brand_id=bid, email=DEMO_OWNER_EMAIL, password="wrong password!", now=NOW
    )
    assert locked.outcome is SignIn.LOCKED
    assert locked.locked_until == NOW + LOCKOUT
    right = sign_in(
        session,
        brand_id=bid,
        email=DEMO_OWNER_EMAIL,
        password=DEMO_OWNER_PASSWORD,
        now=NOW + timedelta(minutes=5),
    )
    assert right.outcome is SignIn.LOCKED
    later = NOW + LOCKOUT + timedelta(seconds=1)
    again = sign_in(
        session, brand_id=bid, email=DEMO_OWNER_EMAIL, password=DEMO_OWNER_PASSWORD, now=later
    )
    assert again.outcome is SignIn.OK


def test_unknown_address_and_deactivated_member_sign_in_as_wrong(session: Session) -> None:
    bid = brand_id(session)
    assert (
        sign_in(
            session, brand_id=bid, email="nobody@example.com", password=PASSWORD, now=NOW
        ).outcome
        is SignIn.WRONG
    )
    member = add_member(
        session,
        brand_id=bid,
        email="gone@example.com",
        role=TeamRole.AGENT,
        now=NOW,
        password=PASSWORD,
    )
    deactivate(session, member)
    assert (
        sign_in(session, brand_id=bid, email="gone@example.com", password=PASSWORD, now=NOW).outcome
        is SignIn.WRONG
    )


def test_the_last_owner_cannot_be_demoted_or_removed(session: Session) -> None:
    owner = find_member(session, brand_id(session), DEMO_OWNER_EMAIL)
    assert owner is not None
    with pytest.raises(AccountError, match="at least one owner"):
        change_role(session, owner, TeamRole.ADMIN)
    with pytest.raises(AccountError, match="at least one owner"):
        deactivate(session, owner)
    add_member(
        session,
        brand_id=owner.brand_id,
        email="second@example.com",
        role=TeamRole.OWNER,
        now=NOW,
        password=PASSWORD,
    )
    change_role(session, owner, TeamRole.ADMIN)
    assert owner.role == "admin"


def test_sessions_end_at_sign_out_idle_limit_and_deactivation(session: Session) -> None:
    bid = brand_id(session)
    member = add_member(
        session,
        brand_id=bid,
        email="s@example.com",
        role=TeamRole.ADMIN,
        now=NOW,
        password=PASSWORD,
    )
    token = sessions.start_session(session, member, NOW)
    stored = session.scalar(
        select(models.TeamSession).where(models.TeamSession.member_id == member.id)
    )
    assert stored is not None
    assert token not in stored.token_hash
    live = sessions.current_session(
        session, brand_id=bid, token=token, now=NOW + timedelta(hours=1)
    )
    assert live is not None
    assert live.member is member
    idle = NOW + timedelta(hours=1) + sessions.IDLE_LIMIT + timedelta(seconds=1)
    assert sessions.current_session(session, brand_id=bid, token=token, now=idle) is None
    token2 = sessions.start_session(session, member, NOW)
    deactivate(session, member)
    assert sessions.current_session(session, brand_id=bid, token=token2, now=NOW) is None
    assert sessions.current_session(session, brand_id=bid, token="forged", now=NOW) is None


def test_invitation_emails_a_single_use_link_through_the_outbox(session: Session) -> None:
    bid = brand_id(session)
    owner = find_member(session, bid, DEMO_OWNER_EMAIL)
    assert owner is not None
    invite(
        session,
        brand_id=bid,
        brand_name="Fjord & Finch",
        email="new@example.com",
        role=TeamRole.MANAGER,
        invited_by=owner,
        link_base="http://x",
        now=NOW,
    )
    [mail] = outbox_to(session, "new@example.com")
    assert mail.kind == "email"
    assert "manager" in mail.body
    token = re.search(r"token=([\w-]+)", mail.body).group(1)
    member = open_token(session, brand_id=bid, purpose=Purpose.INVITE, token=token, now=NOW)
    assert member is not None
    assert member.password_hash == ""
    # Not a reset link, and no sign-in before accepting.
    assert open_token(session, brand_id=bid, purpose=Purpose.RESET, token=token, now=NOW) is None
    assert (
        sign_in(session, brand_id=bid, email="new@example.com", password="", now=NOW).outcome
        is SignIn.WRONG
    )
    use_token(
        session,
        brand_id=bid,
        purpose=Purpose.INVITE,
        token=token,
        password=PASSWORD,
        name="Noor",
        now=NOW,
    )
    assert (
        sign_in(session, brand_id=bid, email="new@example.com", password=PASSWORD, now=NOW).outcome
        is SignIn.OK
    )
    with pytest.raises(AccountError, match="expired or was already used"):
        use_token(
            session,
            brand_id=bid,
            purpose=Purpose.INVITE,
            token=token,
            password=PASSWORD,
            name="",
            now=NOW,
        )


def test_reset_reveals_nothing_for_unknown_addresses_and_expires(session: Session) -> None:
    bid = brand_id(session)
    request_reset(
        session,
        brand_id=bid,
        brand_name="F&F",
        email="stranger@example.com",
        link_base="http://x",
        now=NOW,
    )
    assert outbox_to(session, "stranger@example.com") == []
    request_reset(
        session,
        brand_id=bid,
        brand_name="F&F",
        email=DEMO_OWNER_EMAIL,
        link_base="http://x",
        now=NOW,
    )
    [mail] = outbox_to(session, DEMO_OWNER_EMAIL)
    token = re.search(r"token=([\w-]+)", mail.body).group(1)
    late = NOW + timedelta(hours=1, seconds=1)
    assert open_token(session, brand_id=bid, purpose=Purpose.RESET, token=token, now=late) is None
    use_token(
        session,
        brand_id=bid,
        purpose=Purpose.RESET,
        token=token,
        password="a brand new password",
        name="",
        now=NOW,
    )
    assert (
        sign_in(
            session, brand_id=bid, email=DEMO_OWNER_EMAIL, password=DEMO_OWNER_PASSWORD, now=NOW
        ).outcome
        is SignIn.WRONG
    )
    assert (
        sign_in(
            session, brand_id=bid, email=DEMO_OWNER_EMAIL, password="a brand new password", now=NOW
        ).outcome
        is SignIn.OK
    )
