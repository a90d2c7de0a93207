"""Running agent tests: each test is a conversation through the real turn pipeline, inside a
savepoint that is rolled back, so no conversation, code, email or order change survives it.

The rules and content are the brand's current ones, or proposed rules (`policy`) to see which
tests a change would break before it is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from deskhand.agent.conversations import start_conversation, take_turn
from deskhand.agent.engine import Agent
from deskhand.commerce.registry import store_for
from deskhand.db import models
from deskhand.suites.spec import Case, Expect, Suite

CLIENT = "agent-test"


@dataclass
class CaseResult:
    suite: str
    name: str
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.failures


def _texts(blocks: list[Any]) -> str:
    parts: list[str] = []
    for b in blocks:
        for key in ("text", "label"):
            if isinstance(b.get(key), str):
                parts.append(b[key])
        for item in b.get("buttons", []) + b.get("actions", []):
            parts.append(str(item.get("label", "")))
        for article in b.get("articles", []):
            parts.append(str(article.get("title", "")))
    return "\n".join(parts)


def _links(blocks: list[Any]) -> list[str]:
    urls: list[str] = []
    for b in blocks:
        if isinstance(b.get("url"), str):
            urls.append(b["url"])
        for item in b.get("actions", []) + b.get("articles", []):
            if isinstance(item.get("url"), str):
                urls.append(item["url"])
    return urls


def check_reply(expect: Expect, meta: dict[str, str], blocks: list[Any]) -> list[str]:
    """What is wrong with one reply, as sentences ("" list: as expected)."""
    wrong: list[str] = []
    for key in ("skill", "outcome", "intent"):
        wanted = getattr(expect, key)
        if wanted is not None and meta[key] != wanted:
            wrong.append(f"{key} was {meta[key]}, expected {wanted}")
    text = _texts(blocks).lower()
    wrong += [f"the reply does not say {w!r}" for w in expect.contains if w.lower() not in text]
    wrong += [f"the reply says {w!r}" for w in expect.not_contains if w.lower() in text]
    links = _links(blocks)
    wrong += [f"no link contains {w!r}" for w in expect.links if not any(w in u for u in links)]
    wrong += [f"a link contains {w!r}" for w in expect.no_links if any(w in u for u in links)]
    return wrong


def run_case(
    session: Session,
    agent: Agent,
    brand: models.Brand,
    suite: str,
    case: Case,
    *,
    now: datetime,
    base_url: str,
) -> CaseResult:
    result = CaseResult(suite, case.name)
    language = (case.language or brand.default_language).lower()
    conv, _ = start_conversation(
        session, brand=brand, channel="webchat", language=language, client_key=CLIENT, now=now
    )
    if case.customer:
        customer = store_for(session, brand).customer_by_email(case.customer)
        if customer is None:
            result.failures.append(f"no customer has the address {case.customer}")
            return result
        conv.customer_id, conv.verified_at = customer.id, now
    for n, turn in enumerate(case.conversation, start=1):
        stored = take_turn(
            session,
            agent,
            conv,
            text=turn.shopper,
            action=None,
            client_key=CLIENT,
            now=now,
            base_url=base_url,
        )
        reply = stored.reply
        meta = {
            "skill": reply.skill.value,
            "outcome": reply.outcome.value,
            "intent": reply.intent.value,
        }
        for problem in check_reply(turn.expect, meta, list(reply.blocks)):
            result.failures.append(f"turn {n} ({turn.shopper!r}): {problem}")
    return result


def run_suites(
    session: Session,
    agent: Agent,
    brand: models.Brand,
    suites: list[tuple[str, Suite]],
    *,
    now: datetime,
    base_url: str,
    policy: dict[str, Any] | None = None,
) -> list[CaseResult]:
    """Run every test, each in its own rolled-back savepoint; `policy`: rules to try instead."""
    results: list[CaseResult] = []
    for where, suite in suites:
        for case in suite.tests:
            started = datetime.now(now.tzinfo)
            nested = session.begin_nested()
            try:
                if policy is not None:
                    brand.policy = policy
                    session.flush()
                result = run_case(
                    session, agent, brand, suite.name or where, case, now=now, base_url=base_url
                )
            finally:
                nested.rollback()
            result.seconds = (datetime.now(now.tzinfo) - started).total_seconds()
            results.append(result)
    return results
