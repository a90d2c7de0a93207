"""SQLAlchemy models, one module per concept. Every row belongs to a brand; money is integer
minor units; times are aware UTC. Importing this package puts every table on `Base.metadata`."""

from __future__ import annotations

from deskhand.db.models.agent_tests import AgentTestSuite
from deskhand.db.models.analytics import AnalyticsEvent
from deskhand.db.models.audit import OrderHistory
from deskhand.db.models.base import Base, UTCDateTime
from deskhand.db.models.brands import Brand, WidgetSettings
from deskhand.db.models.commerce import (
    Customer,
    FulfillmentOrder,
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
from deskhand.db.models.helpdesk import HelpdeskComment, HelpdeskNote, HelpdeskTicket
from deskhand.db.models.helpdesk_settings import HandoffSettings
from deskhand.db.models.integrations import Integration, OAuthState
from deskhand.db.models.knowledge import Article, KnowledgeChunk, KnowledgeFinding, KnowledgeVersion
from deskhand.db.models.launch import AgentLaunch
from deskhand.db.models.preview import PreviewConversation
from deskhand.db.models.privacy import Redaction
from deskhand.db.models.product_synonyms import ProductSynonym
from deskhand.db.models.returns import ReturnEvent, ReturnLine, ReturnRequest
from deskhand.db.models.settings_audit import SettingsChange, SkillSwitch
from deskhand.db.models.sync import ExternalLink, SyncRun, WebhookReceipt
from deskhand.db.models.tasks import BackgroundTask
from deskhand.db.models.team import TeamMember, TeamSession, TeamToken
from deskhand.db.models.translations import ArticleTranslation
from deskhand.db.models.verification import HubHandoff, HubSession, VerificationCode

__all__ = [
    "AgentLaunch",
    "AgentTestSuite",
    "AnalyticsEvent",
    "Article",
    "ArticleTranslation",
    "BackgroundTask",
    "Base",
    "Brand",
    "ChannelOptOut",
    "Conversation",
    "ConversationAddress",
    "Customer",
    "DeliveryEvent",
    "EmailMessageId",
    "ExternalLink",
    "FulfillmentOrder",
    "HandoffSettings",
    "HelpdeskComment",
    "HelpdeskNote",
    "HelpdeskTicket",
    "HubHandoff",
    "HubSession",
    "InboundMessage",
    "Integration",
    "KnowledgeChunk",
    "KnowledgeFinding",
    "KnowledgeVersion",
    "LineItem",
    "Message",
    "OAuthState",
    "Order",
    "OrderHistory",
    "OutboxMessage",
    "PreviewConversation",
    "Product",
    "ProductSynonym",
    "Redaction",
    "ReturnEvent",
    "ReturnLine",
    "ReturnRequest",
    "SettingsChange",
    "Shipment",
    "SkillSwitch",
    "SyncRun",
    "TeamMember",
    "TeamSession",
    "TeamToken",
    "UTCDateTime",
    "Variant",
    "VerificationCode",
    "WebhookNonce",
    "WebhookReceipt",
    "WidgetSettings",
]
