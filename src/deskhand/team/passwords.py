"""Password hashes (argon2id, argon2-cffi's recommended parameters) and what a password must be.

A hash made with older parameters is replaced at the next successful sign-in.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 200  # argon2 takes any length; this keeps a huge body from costing CPU time

_HASHER = PasswordHasher()


def password_problem(password: str, email: str = "") -> str | None:
    """Why this password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if password.strip() != password or not password.strip():
        return "Do not start or end the password with spaces."
    if email and password.lower() == email.lower():
        return "Do not use your email address as the password."
    return None


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    if not stored_hash or len(password) > MAX_LENGTH:
        return False
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)


@cache
def dummy_hash() -> str:
    """Checked against when no member has the address, so a sign-in costs the same either way."""
    return _HASHER.hash("no member has this address")
