"""What every skill is handed: the brand, its rules, the store, the wording, the moment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

import numpy as np
from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import Wording
from deskhand.agent.state import DialogueState
from deskhand.commerce.store import Store
from deskhand.config import Settings
from deskhand.db import models
from deskhand.domain.policy import PolicyRules
from deskhand.verification.handoff import TOKEN_PARAM, mint_handoff


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
    conversation_id: str = ""  # for analytics events a skill records
    settings: Settings | None = None  # to open a connected service's credentials
    # Embeddings computed while reading the message (text -> vector), for reuse this turn.
    embedded: Mapping[str, np.ndarray] = field(default_factory=dict)

    def hub_url(self, number: str | None = None, tab: str | None = None) -> str:
        """A Hub link in the shopper's language; a verified shopper's link signs them in.

        The sign-in token is single-use and lives 15 minutes; the Hub swaps it for a session
        and redirects to the clean address, so it never stays in the address bar.
        """
        path = "/hub" if number is None else f"/hub/orders/{number}"
        if number is not None and tab:
            path = f"{path}/{tab}"
        query = {"lang": self.words.lang}
        if self.customer_id is not None:
            query[TOKEN_PARAM] = mint_handoff(
                self.session, brand_id=self.brand.id, customer_id=self.customer_id, now=self.now
            )
        return f"{self.base_url}{path}?{urlencode(query)}"
