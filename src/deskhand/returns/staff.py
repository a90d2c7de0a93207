"""The brand staff's key to the returns API, until the admin console brings team sign-in.

One token per brand, derived from the installation secret (`DESKHAND_SECRET_KEY`) and the
brand's slug: nothing to store, `deskhand returns token` prints it, and rotating the secret
revokes every token. Sent as `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import hashlib
import hmac


def staff_token(secret: str, brand_slug: str) -> str:
    mac = hmac.new(secret.encode(), f"returns-staff:{brand_slug}".encode(), hashlib.sha256)
    return mac.hexdigest()


def staff_token_ok(secret: str, brand_slug: str, sent: str) -> bool:
    return hmac.compare_digest(staff_token(secret, brand_slug), sent.strip())
