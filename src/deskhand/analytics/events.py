"""Recording analytics events in the same transaction as what they describe."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from deskhand.db import models


def record(
    session: Session,
    brand_id: int,
    conversation_id: str | None,
    name: str,
    props: dict[str, Any],
    now: datetime,
) -> None:
    session.add(
        models.AnalyticsEvent(
            brand_id=brand_id,
            conversation_id=conversation_id,
            name=name,
            props=props,
            created_at=now,
        )
    )
