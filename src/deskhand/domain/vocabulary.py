"""The agent's vocabulary: what a shopper asks for, which skill answers, and what happened.

These values are published in every agent message's `meta` (see docs/api-contract.md) and
recorded in analytics, so they are part of the wire: a member's value never changes.
"""

from __future__ import annotations

from enum import StrEnum


class Intent(StrEnum):
    """What a shopper's message asks for (the classifier's labels, plus the agent's own)."""

    ORDER_STATUS = "order_status"
    CHANGE_ITEM = "change_item"
    CHANGE_ADDRESS = "change_address"
    CANCEL_ORDER = "cancel_order"
    ADD_ITEM = "add_item"
    RETURN_REQUEST = "return_request"
    EXCHANGE = "exchange"
    REFUND_STATUS = "refund_status"
    POLICY_SHIPPING = "policy_shipping"
    POLICY_RETURNS = "policy_returns"
    POLICY_CHANGES = "policy_changes"
    POLICY_PAYMENT = "policy_payment"
    HUMAN_HANDOFF = "human_handoff"
    GREETING = "greeting"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    OTHER = "other"
    # Not classified: the verification dialogue, and SMS keywords the channel answers itself.
    VERIFICATION = "verification"
    KEYWORD_STOP = "keyword_stop"
    KEYWORD_START = "keyword_start"
    KEYWORD_HELP = "keyword_help"


# The labels the intent classifier is trained on, in the order of the training data.
CLASSIFIED: tuple[Intent, ...] = (
    Intent.ORDER_STATUS,
    Intent.CHANGE_ITEM,
    Intent.CHANGE_ADDRESS,
    Intent.CANCEL_ORDER,
    Intent.ADD_ITEM,
    Intent.RETURN_REQUEST,
    Intent.EXCHANGE,
    Intent.REFUND_STATUS,
    Intent.POLICY_SHIPPING,
    Intent.POLICY_RETURNS,
    Intent.POLICY_CHANGES,
    Intent.POLICY_PAYMENT,
    Intent.HUMAN_HANDOFF,
    Intent.GREETING,
    Intent.THANKS,
    Intent.GOODBYE,
    Intent.OTHER,
)

# Chat that asks for nothing: never a request of its own, never an answer to a question.
SMALLTALK = frozenset((Intent.GREETING, Intent.THANKS, Intent.GOODBYE))


class Skill(StrEnum):
    """The part of the agent that answered."""

    ORDER_EDITING = "order_editing"
    RETURNS = "returns"
    TRACKING = "tracking"
    POLICY = "policy"
    HANDOFF = "handoff"
    SMALLTALK = "smalltalk"
    FALLBACK = "fallback"


class IntegrationKind(StrEnum):
    """A system outside Deskhand a brand connects (one `integrations` row per brand and kind)."""

    SHOPIFY = "shopify"
    ZENDESK = "zendesk"
    GORGIAS = "gorgias"
    TWILIO = "twilio"
    EMAIL = "email"
    LOOP = "loop"
    AFTERSHIP = "aftership"


class ReturnsProviderKind(StrEnum):
    """Who runs a brand's returns (`PolicyRules.returns_provider`); NONE is limited mode."""

    BUILTIN = "builtin"  # the Customer Hub's own returns portal
    LOOP = "loop"
    AFTERSHIP = "aftership"
    NONE = "none"


class Outcome(StrEnum):
    """What the answer did for the shopper."""

    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    HUB_LINK = "hub_link"
    NOT_ELIGIBLE = "not_eligible"
    NOT_SUPPORTED = "not_supported"
    ROUTED_TO_RETURNS = "routed_to_returns"
    ORDER_NOT_FOUND = "order_not_found"
    NO_ORDERS = "no_orders"
    ASKED_WHICH_ORDER = "asked_which_order"
    ASKED_TO_CLARIFY = "asked_to_clarify"
    HANDOFF_OFFERED = "handoff_offered"
    HANDOFF_REQUESTED = "handoff_requested"
    HANDOFF_DECLINED = "handoff_declined"
    HANDED_OFF = "handed_off"  # in the contract; the helpdesk hand-over (next) reports it
    # The verification dialogue.
    NEEDS_SIGN_IN = "needs_sign_in"
    NEEDS_CODE = "needs_code"
    CODE_SENT = "code_sent"
    CODE_WRONG = "code_wrong"
    CODE_EXPIRED = "code_expired"
    RATE_LIMITED = "rate_limited"
    VERIFICATION_LOCKED = "verification_locked"
    VERIFIED = "verified"
    # Settled by a text channel before the agent reads the message.
    OPTED_OUT = "opted_out"
    OPTED_IN = "opted_in"
    NOT_READABLE = "not_readable"
    UNSUPPORTED_LANGUAGE = "unsupported_language"
    # A change the shopper made in the Customer Hub, posted into their open conversation.
    CHANGED_IN_HUB = "changed_in_hub"
    # The agent confirms what the Hub changed when the shopper asks about it.
    CHANGE_CONFIRMED = "change_confirmed"


class ConfirmationKind(StrEnum):
    """What a confirmation to the shopper is about (one set of templates per kind)."""

    ORDER_CHANGED = "order_changed"
    ORDER_CANCELLED = "order_cancelled"


class TeamRole(StrEnum):
    """A brand team member's role: every role may view every setting; owner and admin may
    change them (`team.roles.may_change_settings`)."""

    OWNER = "owner"
    ADMIN = "admin"
    MANAGER = "manager"
    AGENT = "agent"
    VIEWER = "viewer"


class HandoffDestination(StrEnum):
    """Where a brand sends what the agent cannot resolve (the brand's handoff setting)."""

    BUILTIN = "builtin"  # Deskhand's own helpdesk inbox (the default)
    ZENDESK = "zendesk"
    GORGIAS = "gorgias"
    NONE = "none"  # don't hand off: the brand's message and links instead, never a human


class TicketStatus(StrEnum):
    """A handed-off conversation's state in the helpdesk inbox."""

    OPEN = "open"
    PENDING = "pending"
    SOLVED = "solved"


class TicketDelivery(StrEnum):
    """Whether the ticket exists at its destination yet (external helpdesks go through the
    outbox; the built-in inbox is delivered at once)."""

    QUEUED = "queued"  # waiting in the outbox, retried while the helpdesk is down
    DELIVERED = "delivered"
    FAILED = "failed"  # refused for good (bad credentials, rejected payload): the brand sees it


class Availability(StrEnum):
    """A team member's own setting for receiving handed-off conversations."""

    AVAILABLE = "available"
    AWAY = "away"


class MessageRole(StrEnum):
    """Who wrote a message in a conversation."""

    SHOPPER = "shopper"
    AGENT = "agent"  # Deskhand's agent
    TEAM = "team"  # a person of the brand's team (built-in inbox, or relayed from a helpdesk)
