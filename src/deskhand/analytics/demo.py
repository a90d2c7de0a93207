"""A few weeks of synthetic conversations for the demo's dashboard, clearly marked as demo data.

Only analytics events are written (no messages, no stored conversations): every event says
`"demo": true`, its conversation id starts with "demo-", and the dashboard labels the
figures they feed. Deterministic: the same seed gives the same weeks, relative to `now`.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from deskhand.analytics.events import record
from deskhand.domain.vocabulary import Intent, Outcome, Skill

DAYS = 21
PER_DAY = (6, 16)
# (weight, replies as (intent, skill, outcome), confirmed sometimes)
Step = tuple[Intent, Skill, Outcome]
SCENARIOS: list[tuple[int, list[Step]]] = [
    (28, [(Intent.POLICY_SHIPPING, Skill.POLICY, Outcome.ANSWERED)]),
    (10, [(Intent.POLICY_RETURNS, Skill.POLICY, Outcome.ANSWERED)]),
    (
        22,
        [
            (Intent.ORDER_STATUS, Skill.TRACKING, Outcome.NEEDS_SIGN_IN),
            (Intent.VERIFICATION, Skill.TRACKING, Outcome.CODE_SENT),
            (Intent.ORDER_STATUS, Skill.TRACKING, Outcome.ANSWERED),
        ],
    ),
    (
        14,
        [
            (Intent.CHANGE_ITEM, Skill.ORDER_EDITING, Outcome.NEEDS_SIGN_IN),
            (Intent.VERIFICATION, Skill.ORDER_EDITING, Outcome.CODE_SENT),
            (Intent.CHANGE_ITEM, Skill.ORDER_EDITING, Outcome.HUB_LINK),
        ],
    ),
    (5, [(Intent.CANCEL_ORDER, Skill.ORDER_EDITING, Outcome.NOT_ELIGIBLE)]),
    (8, [(Intent.RETURN_REQUEST, Skill.RETURNS, Outcome.HUB_LINK)]),
    (
        6,
        [
            (Intent.OTHER, Skill.FALLBACK, Outcome.NO_ANSWER),
            (Intent.HUMAN_HANDOFF, Skill.HANDOFF, Outcome.HANDOFF_REQUESTED),
        ],
    ),
    (
        4,
        [
            (Intent.HUMAN_HANDOFF, Skill.HANDOFF, Outcome.HANDOFF_OFFERED),
            (Intent.HUMAN_HANDOFF, Skill.HANDOFF, Outcome.HANDOFF_REQUESTED),
        ],
    ),
    (3, [(Intent.GREETING, Skill.SMALLTALK, Outcome.ANSWERED)]),
]
CHANNELS = [("webchat", 60), ("sms", 15), ("whatsapp", 10), ("email", 15)]
LANGUAGES = [("en", 40), ("de", 20), ("nl", 20), ("sv", 10), ("fr", 5), ("es", 5)]
SHOPPERS = 120


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def seed_demo_analytics(session: Session, brand_id: int, now: datetime, seed: int = 14) -> int:
    """Write the synthetic weeks; returns how many conversations."""
    rng = random.Random(seed)
    count = 0
    for day in range(DAYS, 0, -1):
        for _ in range(rng.randint(*PER_DAY)):
            count += 1
            start = now - timedelta(days=day, minutes=rng.randint(0, 24 * 60 - 1))
            cid = f"demo-{count:06d}-{rng.getrandbits(64):016x}"
            shopper = f"demo-shopper-{rng.randint(1, SHOPPERS)}"
            channel, language = _pick(rng, CHANNELS), _pick(rng, LANGUAGES)
            steps = rng.choices([s for _, s in SCENARIOS], [w for w, _ in SCENARIOS])[0]
            props = {"channel": channel, "demo": True, "shopper": shopper}
            record(session, brand_id, cid, "conversation.started", props, start)
            at = start
            for intent, skill, outcome in steps:
                at += timedelta(seconds=rng.randint(5, 90))
                reply = {
                    "intent": intent.value,
                    "skill": skill.value,
                    "outcome": outcome.value,
                    "channel": channel,
                    "language": language,
                    "demo": True,
                }
                record(session, brand_id, cid, "agent.replied", reply, at)
            if steps[-1][2] in (Outcome.ANSWERED, Outcome.HUB_LINK) and rng.random() < 0.12:
                at += timedelta(minutes=1)
                record(session, brand_id, cid, "conversation.confirmed", {"demo": True}, at)
    return count
