"""Database models: data and small invariants only. No customer email, phone or address here."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from lumen import security
from lumen.extensions import db
from lumen.outcomes import Outcome, decide_outcome

# What migrations 0003 and 0008 create on PostgreSQL only (full-text search and JSON
# containment, which SQLite lacks): not in the metadata, so autogenerate must leave them alone.
POSTGRES_ONLY_INDEXES = frozenset({"ix_conversations_search", "ix_conversations_order_names",
                                   "ix_conversations_shop_ticket_started",
                                   "ix_conversations_shop_started_filters"})
POSTGRES_ONLY_COLUMNS = frozenset({("conversations", "search_vector"),
                                   ("conversations", "ticket_status")})


def include_in_autogenerate(item: Any, name: str | None, type_: str, reflected: bool,
                            _compare_to: Any) -> bool:
    """Alembic's include_object: everything except the PostgreSQL-only indexes and columns."""
    if not reflected:
        return True
    if type_ == "index":
        return name not in POSTGRES_ONLY_INDEXES
    if type_ == "column":
        return (item.table.name, name) not in POSTGRES_ONLY_COLUMNS
    return True


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Refuse naive datetimes; store aware ones in UTC."""
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use lumen.models.utcnow()")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Read back timezone-aware, in UTC."""
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class EncryptedText(TypeDecorator):
    """Text encrypted with the app's Fernet keys before it reaches the database."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        """Encrypt on the way in."""
        return security.encrypt(value) if value is not None else None

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        """Decrypt on the way out."""
        return security.decrypt(value) if value is not None else None


def _enum(python_enum: type[enum.Enum], name: str) -> Enum:
    # VARCHAR plus CHECK keeps migrations identical on SQLite and PostgreSQL.
    return Enum(python_enum, name=name, native_enum=False, create_constraint=True, length=20,
                values_callable=lambda members: [member.value for member in members])


class Plan(enum.StrEnum):
    """Shopify App Pricing plans."""

    FREE = "free"
    PRO = "pro"
    PRO_PLUS = "pro_plus"


class Role(enum.StrEnum):
    """Who wrote a message."""

    SHOPPER = "shopper"
    ASSISTANT = "assistant"


class Feedback(enum.StrEnum):
    """The shopper's thumbs up or down."""

    UP = "up"
    DOWN = "down"


class TicketStatus(enum.StrEnum):
    """Whether the support team still has to act on a ticket."""

    OPEN = "open"
    CLOSED = "closed"


class Shop(db.Model):
    """An installation of Lumen on one Shopify store."""

    __tablename__ = "shops"

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(255), unique=True)
    access_token: Mapped[str | None] = mapped_column(EncryptedText)
    access_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refresh_token: Mapped[str | None] = mapped_column(EncryptedText)
    refresh_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scopes: Mapped[str] = mapped_column(String(500), default="")
    plan: Mapped[Plan] = mapped_column(_enum(Plan, "plan"), default=Plan.FREE)
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uninstalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Shopify's `shop { ianaTimezone }`, cached: the admin shows times and dates in it.
    iana_timezone: Mapped[str | None] = mapped_column(String(64))
    timezone_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    settings: Mapped[ShopSettings | None] = relationship(
        back_populates="shop", cascade="all, delete-orphan", uselist=False)

    @property
    def is_installed(self) -> bool:
        """True while the app is installed and holds a token."""
        return self.uninstalled_at is None and self.access_token is not None


class ShopSettings(db.Model):
    """What the merchant configures: voice, welcome, escalation, retention."""

    __tablename__ = "shop_settings"

    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"),
                                         primary_key=True)
    welcome_message: Mapped[str] = mapped_column(
        Text, default="Hi! I can check on your order. What's your order number?")
    quick_prompts: Mapped[list[str]] = mapped_column(
        JSON, default=lambda: ["Where is my order?", "Track my package", "Talk to a person"])
    tone: Mapped[str] = mapped_column(String(40), default="friendly")
    persona: Mapped[str] = mapped_column(Text, default="")
    escalation_email: Mapped[str | None] = mapped_column(String(320))
    retention_days: Mapped[int] = mapped_column(Integer, default=90)
    order_name_prefix: Mapped[str] = mapped_column(String(20), default="#")
    order_name_suffix: Mapped[str] = mapped_column(String(20), default="")

    shop: Mapped[Shop] = relationship(back_populates="settings")


class Conversation(db.Model):
    """One chat session's record: redacted transcript, outcome and metrics."""

    __tablename__ = "conversations"
    __table_args__ = (
        # Newest first within a shop (the admin list's keyset), and per outcome (its filter,
        # the analytics' counts).
        Index("ix_conversations_shop_started", "shop_id", "started_at", "id"),
        Index("ix_conversations_shop_outcome_started", "shop_id", "outcome", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    customer_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    order_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Order GIDs of the verified orders, so customers/redact can match Shopify's order ids.
    order_ids: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # The plan's monthly limit counts conversations that verified an order and answered about
    # it, each order once a month (lumen.plans.usage): greetings, guesses and tickets are free,
    # so scripted visitors cannot use the month up. This is the first order verified here.
    counted_order_id: Mapped[str | None] = mapped_column(String(64))
    # The outcome (lumen.outcomes) and the facts it is decided from, kept current each turn.
    outcome: Mapped[Outcome] = mapped_column(_enum(Outcome, "outcome"), default=Outcome.OTHER)
    asked_order: Mapped[bool] = mapped_column(Boolean, default=False)
    details_delivered: Mapped[bool] = mapped_column(Boolean, default=False)
    thanked: Mapped[bool] = mapped_column(Boolean, default=False)
    sentiment: Mapped[str | None] = mapped_column(String(10))
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    feedback: Mapped[Feedback | None] = mapped_column(_enum(Feedback, "feedback"))
    llm_tokens_in: Mapped[int] = mapped_column(Integer, default=0)
    llm_tokens_out: Mapped[int] = mapped_column(Integer, default=0)
    llm_turns: Mapped[int] = mapped_column(Integer, default=0)
    first_reply_ms: Mapped[float | None] = mapped_column(Float)
    # The answered order's preventable situation (no_tracking, stale_tracking,
    # delivered_not_received; lumen.conversation.answers.situation), for the analytics.
    order_situation: Mapped[str | None] = mapped_column(String(24))

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", order_by="Message.id",
        passive_deletes=True)
    ticket: Mapped[Ticket | None] = relationship(
        back_populates="conversation", uselist=False, passive_deletes=True)

    @property
    def duration(self) -> timedelta | None:
        """Time from the first to the last message, once there is one."""
        return self.ended_at - self.started_at if self.ended_at else None

    def refresh_outcome(self, *, escalated: bool = False) -> Outcome:
        """Recompute ``outcome`` from the recorded facts; once escalated, always escalated."""
        self.outcome = decide_outcome(
            escalated=escalated or self.outcome == Outcome.ESCALATED,
            asked_order=bool(self.asked_order), details_delivered=bool(self.details_delivered),
            thanked=bool(self.thanked), feedback=self.feedback.value if self.feedback else None)
        return self.outcome


class Message(db.Model):
    """One turn's text (emails and phone numbers redacted) with its metrics."""

    __tablename__ = "messages"
    __table_args__ = (
        # The analytics read a day's turns from the index alone (PostgreSQL; SQLite ignores
        # INCLUDE and keeps a plain index).
        Index("ix_messages_conversation_metrics", "conversation_id",
              postgresql_include=["role", "intent", "latency_ms", "used_llm"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    intent: Mapped[str | None] = mapped_column(String(40))
    latency_ms: Mapped[float | None] = mapped_column(Float)
    used_llm: Mapped[bool] = mapped_column(Boolean, default=False)
    llm_latency_ms: Mapped[float | None] = mapped_column(Float)
    tokens_in: Mapped[int] = mapped_column(Integer, default=0)
    tokens_out: Mapped[int] = mapped_column(Integer, default=0)
    sentiment_score: Mapped[float | None] = mapped_column(Float)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")

    @validates("text")
    def _redact_text(self, _key: str, text: str) -> str:
        # Redacting on assignment means no ORM path can store an address or number; the one
        # Core insert (lumen.transcripts) builds its rows with ``stored_text`` too.
        return self.stored_text(self.role, text)

    @staticmethod
    def stored_text(role: Role | None, text: str) -> str:
        """``text`` as a message of ``role`` is stored: emails and phone numbers redacted.

        Lumen's own replies keep their tracking numbers; a role not yet set redacts everything.
        """
        return security.redact(text, phones=role is not Role.ASSISTANT)


class Ticket(db.Model):
    """An escalation to the merchant's team; at most one per conversation."""

    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_shop_status_created", "shop_id", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), unique=True)
    reason: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    order_name: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[TicketStatus] = mapped_column(
        _enum(TicketStatus, "ticket_status"), default=TicketStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Escalation email alerts: when the next one is due (queued), when the last one went out,
    # for which reason, how many have (they thread by number), and why the latest one failed.
    alert_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    alerted_reason: Mapped[str | None] = mapped_column(String(40))
    alerts_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    alert_error: Mapped[str | None] = mapped_column(String(300))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The merchant's own note (what the team did); never shown to the shopper.
    note: Mapped[str] = mapped_column(Text, default="", server_default="")

    conversation: Mapped[Conversation] = relationship(back_populates="ticket")


class WebhookDelivery(db.Model):
    """A processed webhook, kept so Shopify's duplicate deliveries are handled once."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("webhook_id", name="uq_webhook_deliveries_webhook_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[str] = mapped_column(String(100))
    topic: Mapped[str] = mapped_column(String(100))
    shop_domain: Mapped[str] = mapped_column(String(255), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DataRequest(db.Model):
    """A customer's data request (customers/data_request): their transcripts, for the merchant."""

    __tablename__ = "data_requests"
    __table_args__ = (UniqueConstraint("shop_id", "shopify_request_id",
                                       name="uq_data_requests_shop_request"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    shopify_request_id: Mapped[str] = mapped_column(String(40))
    # Kept so a later customers/redact for the same customer deletes this copy too.
    customer_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    order_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    transcripts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    downloaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ExportShape(enum.StrEnum):
    """One CSV row per conversation, or one per message."""

    CONVERSATIONS = "conversations"
    MESSAGES = "messages"


class ExportStatus(enum.StrEnum):
    """Where a CSV export stands."""

    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"


class Export(db.Model):
    """A CSV export of the conversations a filter shows, written by an RQ job.

    The file lives in the database (ExportChunk), so any web node can serve it; it is
    deleted 24 hours after it is ready, or sooner when its oldest row expires.
    """

    __tablename__ = "exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    shape: Mapped[ExportShape] = mapped_column(_enum(ExportShape, "export_shape"))
    # The list's filters as query parameters (lumen.history.filters), never personal data.
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[ExportStatus] = mapped_column(_enum(ExportStatus, "export_status"),
                                                 default=ExportStatus.QUEUED)
    total: Mapped[int | None] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    oldest_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ExportChunk(db.Model):
    """One piece of an export's CSV file, in order."""

    __tablename__ = "export_chunks"

    export_id: Mapped[int] = mapped_column(ForeignKey("exports.id", ondelete="CASCADE"),
                                           primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class AnalyticsDay(db.Model):
    """One shop's analytics numbers for one closed local day (lumen.analytics.rollup).

    Exactly the numbers the raw rows give for that day; any later change to one of its
    conversations deletes the row, and it is computed again from the raw rows.
    """

    __tablename__ = "analytics_days"

    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"),
                                         primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    # The shop's time zone the day was counted in; another zone's row does not count.
    zone: Mapped[str] = mapped_column(String(64))
    numbers: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AnalyticsHour(db.Model):
    """One shop's analytics numbers for one closed local hour, [starts_at, ends_at) in UTC
    (lumen.analytics.rollup): what the open day and a dropped day are summed from.

    Exactly the numbers the raw rows give for that hour; any later change to one of its
    conversations deletes the row, as for `AnalyticsDay`.
    """

    __tablename__ = "analytics_hours"

    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"),
                                         primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    zone: Mapped[str] = mapped_column(String(64))
    numbers: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
