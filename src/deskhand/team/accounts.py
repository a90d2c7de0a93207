"""Team accounts: create, find, sign in with a password (locked after repeated failures),
change a role, deactivate. Every function works in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskhand.db.models import TeamMember
from deskhand.domain.contact import normalise_email
from deskhand.domain.vocabulary import TeamRole
from deskhand.team.passwords import (
    dummy_hash,
    hash_password,
    needs_rehash,
    password_matches,
    password_problem,
)

MAX_FAILURES = 5  # wrong passwords in a row before the account pauses
LOCKOUT = timedelta(minutes=15)


class AccountError(ValueError):
    """A request about an account that cannot be done; the message says why, for the page."""


class SignIn(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # unknown address, no password yet, deactivated, or a wrong password
    LOCKED = "locked"


@dataclass(frozen=True)
class SignInResult:
    outcome: SignIn
    member: TeamMember | None = None
    locked_until: datetime | None = None


def find_member(session: Session, brand_id: int, email: str) -> TeamMember | None:
    address = normalise_email(email)
    if address is None:
        return None
    return session.scalar(
        select(TeamMember).where(TeamMember.brand_id == brand_id, TeamMember.email == address)
    )


def member_by_id(session: Session, brand_id: int, member_id: int) -> TeamMember | None:
    member = session.get(TeamMember, member_id)
    return member if member is not None and member.brand_id == brand_id else None


def members_of(session: Session, brand_id: int) -> list[TeamMember]:
    return list(
        session.scalars(
            select(TeamMember).where(TeamMember.brand_id == brand_id).order_by(TeamMember.id)
        )
    )


def add_member(
    session: Session,
    *,
    brand_id: int,
    email: str,
    role: TeamRole,
    now: datetime,
    name: str = "",
    password: str | None = None,
) -> TeamMember:
    """A new member; without a password they sign in only after accepting an invitation."""
    address = normalise_email(email)
    if address is None:
        raise AccountError("That is not an email address.")
    if find_member(session, brand_id, address) is not None:
        raise AccountError(f"{address} is already on the team.")
    if password is not None:
        problem = password_problem(password, address)
        if problem:
            raise AccountError(problem)
    member = TeamMember(
        brand_id=brand_id,
        email=address,
        name=name.strip()[:200],
        role=role.value,
        password_hash=hash_password(password) if password is not None else "",
        failed_sign_ins=0,
        locked_until=None,
        active=True,
        created_at=now,
        last_sign_in_at=None,
    )
    session.add(member)
    session.flush()
    return member


def set_password(member: TeamMember, password: str) -> None:
    problem = password_problem(password, member.email)
    if problem:
        raise AccountError(problem)
    member.password_hash = hash_password(password)
    member.failed_sign_ins, member.locked_until = 0, None


def sign_in(
    session: Session, *, brand_id: int, email: str, password: str, now: datetime
) -> SignInResult:
    """Check a password. `MAX_FAILURES` wrong ones in a row pause the account for `LOCKOUT`;
    while paused even the right password is refused, and the answer says until when."""
    member = find_member(session, brand_id, email)
    if member is None or not member.active or not member.password_hash:
        password_matches(dummy_hash(), password)  # same cost as a real check
        return SignInResult(SignIn.WRONG)
    if member.locked_until is not None and member.locked_until > now:
        return SignInResult(SignIn.LOCKED, locked_until=member.locked_until)
    if not password_matches(member.password_hash, password):
        member.failed_sign_ins += 1
        if member.failed_sign_ins >= MAX_FAILURES:
            member.failed_sign_ins, member.locked_until = 0, now + LOCKOUT
            return SignInResult(SignIn.LOCKED, locked_until=member.locked_until)
        return SignInResult(SignIn.WRONG)
    if needs_rehash(member.password_hash):
        member.password_hash = hash_password(password)
    member.failed_sign_ins, member.locked_until = 0, None
    member.last_sign_in_at = now
    return SignInResult(SignIn.OK, member)


def owners_left(session: Session, brand_id: int, without: int) -> int:
    """Active owners other than member `without`."""
    count = session.scalar(
        select(func.count())
        .select_from(TeamMember)
        .where(
            TeamMember.brand_id == brand_id,
            TeamMember.role == TeamRole.OWNER.value,
            TeamMember.active.is_(True),
            TeamMember.id != without,
        )
    )
    return int(count or 0)


def change_role(session: Session, member: TeamMember, role: TeamRole) -> None:
    """Give a member another role; the brand always keeps one active owner."""
    if member.role == TeamRole.OWNER.value and role is not TeamRole.OWNER:
        if owners_left(session, member.brand_id, member.id) == 0:
            raise AccountError("The team needs at least one owner.")
    member.role = role.value


def deactivate(session: Session, member: TeamMember) -> None:
    """Take a member's access away (their history stays); the last owner cannot go."""
    if (
        member.role == TeamRole.OWNER.value
        and owners_left(session, member.brand_id, member.id) == 0
    ):
        raise AccountError("The team needs at least one owner.")
    member.active = False
