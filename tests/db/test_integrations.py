"""Integration credentials: sealed at rest, opened with the current or a previous key."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.config import Settings
from deskhand.db import integrations, models
from deskhand.db.sealed import SealBroken, reseal, seal, unseal
from deskhand.domain.vocabulary import IntegrationKind

KEY_A = "a" * 40
KEY_B = "b" * 40


def test_connect_seals_the_secrets_and_keeps_config_readable(
    session: Session, settings: Settings
) -> None:
    brand = session.scalar(select(models.Brand))
    assert brand is not None
    row = integrations.connect(
        session,
        settings,
        brand.id,
        IntegrationKind.SHOPIFY,
        config={"shop": "fjord.myshopify.com"},
        secrets={"access_token": "shpat_secret123"},
    )
    session.commit()
    assert "shpat_secret123" not in row.sealed_secrets
    again = integrations.find_integration(session, brand.id, IntegrationKind.SHOPIFY)
    assert again is not None
    assert again.config == {"shop": "fjord.myshopify.com"}
    assert integrations.secrets_of(settings, again) == {"access_token": "shpat_secret123"}
    # Connecting again replaces, never duplicates.
    integrations.connect(
        session, settings, brand.id, IntegrationKind.SHOPIFY, config={}, secrets={"t": "2"}
    )
    session.commit()
    rows = session.scalars(select(models.Integration).where(models.Integration.kind == "shopify"))
    assert len(list(rows)) == 1
    assert integrations.disconnect(session, brand.id, IntegrationKind.SHOPIFY)
    assert integrations.find_integration(session, brand.id, IntegrationKind.SHOPIFY) is None


def test_rotation_opens_old_tokens_and_reseals_them_under_the_new_key() -> None:
    old = Settings(secret_key=KEY_A)
    token = seal(old, {"api_key": "k1"})
    rotated = Settings(secret_key=KEY_B, previous_secret_keys=KEY_A)
    assert unseal(rotated, token) == {"api_key": "k1"}
    fresh = reseal(rotated, token)
    assert unseal(Settings(secret_key=KEY_B), fresh) == {"api_key": "k1"}
    with pytest.raises(SealBroken):
        unseal(Settings(secret_key=KEY_B), token)  # the old key is no longer listed
    assert seal(old, {}) == ""
    assert unseal(old, "") == {}
