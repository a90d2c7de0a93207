"""SQLAlchemy models, one module per concept. Every row belongs to a brand; money is integer
minor units; times are aware UTC. Importing this package puts every table on `Base.metadata`."""

from __future__ import annotations

from deskhand.db.models.analytics import AnalyticsEvent
from deskhand.db.models.audit import OrderHistory
from deskhand.db.models.base import Base, UTCDateTime
from deskhand.db.models.brands import Brand, WidgetSettings
from deskhand.db.models.commerce import (
    Customer,
    LineItem,
    Order,
    Product,
    Shipment,
    Variant,
)
from deskhand.db.models.conversations import (
    Conversation,
    ConversationAddress,
    EmailMessageId,
    InboundMessage,
    Message,
)
from deskhand.db.models.delivery import ChannelOptOut, DeliveryEvent, OutboxMessage, WebhookNonce
from deskhand.db.models.integrations import Integration
from deskhand.db.models.knowledge import Article, KnowledgeChunk, KnowledgeFinding, KnowledgeVersion
from deskhand.db.models.translations import ArticleTranslation
from deskhand.db.models.verification import HubHandoff, HubSession, VerificationCode

__all__ = [
    "AnalyticsEvent",
    "Article",
    "ArticleTranslation",
    "Base",
    "Brand",
    "ChannelOptOut",
    "Conversation",
    "ConversationAddress",
    "Customer",
    "DeliveryEvent",
    "EmailMessageId",
    "HubHandoff",
    "HubSession",
    "InboundMessage",
    "Integration",
    "KnowledgeChunk",
    "KnowledgeFinding",
    "KnowledgeVersion",
    "LineItem",
    "Message",
    "Order",
    "OrderHistory",
    "OutboxMessage",
    "Product",
    "Shipment",
    "UTCDateTime",
    "Variant",
    "VerificationCode",
    "WebhookNonce",
    "WidgetSettings",
]
