"""What every skill is handed: the brand, its rules, the store, the wording, the moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import Wording
from deskhand.agent.state import DialogueState
from deskhand.commerce.store import Store
from deskhand.db import models
from deskhand.domain.policy import PolicyRules


@dataclass
class SkillContext:
    session: Session
    brand: models.Brand
    rules: PolicyRules
    store: Store
    words: Wording
    now: datetime
    base_url: str
    customer_id: int | None
    state: DialogueState
    text: str = ""  # the shopper's message this turn ("" for a button press)

    def hub_url(self, number: str | None = None, tab: str | None = None) -> str:
        if number is None:
            return f"{self.base_url}/hub"
        url = f"{self.base_url}/hub/orders/{number}"
        return f"{url}/{tab}" if tab else url
