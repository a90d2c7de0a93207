"""Magic links: a Hub sign-in request's id and nonce, signed with the app secret (itsdangerous).

The token is `<request>.<nonce>.<timestamp>.<signature>`; it is valid 15 minutes from when it
was signed. The signature only proves the link was ours and is fresh: single use comes from
the request row, which keeps the nonce's hash and is consumed when the link is used.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from itsdangerous import BadSignature, TimestampSigner

LINK_TTL = timedelta(minutes=15)
MAX_TOKEN_CHARS = 300
_SALT = "deskhand.verification.magic-link"


class _Signer(TimestampSigner):
    """A timestamp signer on the caller's clock, so tests and benchmarks can move time."""

    def __init__(self, secret: str, now: datetime) -> None:
        super().__init__(secret, salt=_SALT, digest_method=hashlib.sha256)
        self._now = now

    def get_timestamp(self) -> int:
        return int(self._now.timestamp())


def mint_link_token(secret: str, *, public_id: str, nonce: str, now: datetime) -> str:
    """The signed token a magic link carries (ids from `secrets.token_urlsafe`: no dots)."""
    return _Signer(secret, now).sign(f"{public_id}.{nonce}").decode()


def read_link_token(secret: str, token: str, now: datetime) -> tuple[str, str] | None:
    """(request id, nonce) of a genuine token younger than LINK_TTL, else None."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    try:
        value = _Signer(secret, now).unsign(token, max_age=int(LINK_TTL.total_seconds()))
    except BadSignature:  # forged, tampered, or expired (SignatureExpired is a BadSignature)
        return None
    public_id, dot, nonce = value.decode().partition(".")
    return (public_id, nonce) if dot and public_id and nonce else None
