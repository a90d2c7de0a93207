"""Credentials at rest: sealed with a key derived from the installation's secret key.

`seal` encrypts a dict of secrets (Fernet: AES-128-CBC with an HMAC-SHA256, from
`cryptography`); `unseal` opens it with the current key or any of the previous keys, so a
key can be rotated: set the new `DESKHAND_SECRET_KEY`, list the old one in
`DESKHAND_PREVIOUS_SECRET_KEYS`, and reseal (`reseal` does one token).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from deskhand.config import Settings

_CONTEXT = b"deskhand sealed credentials v1\0"


class SealBroken(ValueError):
    """The sealed value opens with none of the configured keys."""


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(_CONTEXT + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keyring(settings: Settings) -> MultiFernet:
    keys = [settings.resolved_secret_key()]
    keys += [k.strip() for k in settings.previous_secret_keys.split(",") if k.strip()]
    return MultiFernet([_fernet(k) for k in keys])


def seal(settings: Settings, secrets: dict[str, Any]) -> str:
    """The secrets as one opaque token, under the current key. An empty dict seals to ""."""
    if not secrets:
        return ""
    return _keyring(settings).encrypt(json.dumps(secrets).encode()).decode()


def unseal(settings: Settings, token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        opened: dict[str, Any] = json.loads(_keyring(settings).decrypt(token.encode()))
    except InvalidToken as exc:
        raise SealBroken(
            "sealed credentials open with no configured key: was DESKHAND_SECRET_KEY changed "
            "without listing the old one in DESKHAND_PREVIOUS_SECRET_KEYS?"
        ) from exc
    return opened


def reseal(settings: Settings, token: str) -> str:
    """The same secrets sealed under the current key (for key rotation)."""
    if not token:
        return ""
    try:
        return _keyring(settings).rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise SealBroken("sealed credentials open with no configured key") from exc
