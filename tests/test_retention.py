"""Conversations past the retention period are deleted with their messages and tickets."""

from datetime import timedelta

from sqlalchemy import func, select

from lumen.extensions import db
from lumen.jobs.retention import purge_shop, sweep_all_shops
from lumen.models import Conversation, Message, Role, Ticket, utcnow


def add_conversation(shop, days_old: int) -> Conversation:
    """A conversation started ``days_old`` days ago, with a message and a ticket."""
    conversation = Conversation(shop_id=shop.id, started_at=utcnow() - timedelta(days=days_old))
    conversation.messages.append(Message(role=Role.SHOPPER, text="where is my order"))
    db.session.add(conversation)
    db.session.flush()
    db.session.add(Ticket(shop_id=shop.id, conversation_id=conversation.id,
                          reason="human_requested", summary="wants a person"))
    db.session.commit()
    return conversation


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_purge_deletes_only_expired_conversations(create_shop):
    shop = create_shop()
    shop.settings.retention_days = 30
    old_id, recent_id = add_conversation(shop, 31).id, add_conversation(shop, 29).id
    assert purge_shop(shop.id) == 1
    assert db.session.scalars(select(Conversation.id)).all() == [recent_id]
    assert count(Message) == 1 and count(Ticket) == 1
    db.session.expunge_all()
    assert db.session.get(Conversation, old_id) is None


def test_purge_is_safe_to_rerun_and_ignores_missing_shops(create_shop):
    shop = create_shop()
    add_conversation(shop, 200)
    assert purge_shop(shop.id) == 1
    assert purge_shop(shop.id) == 0
    assert purge_shop(999_999) == 0


def test_shops_without_settings_use_the_default_period(app, create_shop):
    shop = create_shop()
    db.session.delete(shop.settings)
    db.session.commit()
    add_conversation(shop, app.config["LUMEN_RETENTION_DAYS"] + 1)
    add_conversation(shop, app.config["LUMEN_RETENTION_DAYS"] - 1)
    assert purge_shop(shop.id) == 1


def test_sweep_runs_inline_on_the_embedded_default(create_shop):
    shops = [create_shop(), create_shop()]
    for shop in shops:
        add_conversation(shop, 365)
    assert sweep_all_shops() == 2
    assert count(Conversation) == 0
