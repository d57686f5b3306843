"""Retention: conversations, their messages and tickets are deleted after the shop's period."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from lumen.extensions import db
from lumen.models import Conversation, Shop, utcnow


def retention_days(shop: Shop, default: int) -> int:
    """The shop's retention period in days (its settings, else the app default)."""
    return shop.settings.retention_days if shop.settings else default


def retention_cutoff(shop: Shop, default_days: int) -> datetime:
    """Conversations that started before this moment are past the shop's retention period."""
    return utcnow() - timedelta(days=retention_days(shop, default_days))


def purge_expired_conversations(shop: Shop, default_days: int) -> int:
    """Delete the shop's conversations older than its retention period; return how many."""
    cutoff = retention_cutoff(shop, default_days)
    # Messages and tickets go with their conversation (ON DELETE CASCADE).
    result = db.session.execute(
        delete(Conversation).where(Conversation.shop_id == shop.id,
                                   Conversation.started_at < cutoff))
    return result.rowcount


def all_shop_ids() -> list[int]:
    """Ids of every shop row, installed or not: uninstalled shops' data expires too."""
    return list(db.session.scalars(select(Shop.id).order_by(Shop.id)))
