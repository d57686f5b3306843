"""Widget actions besides the turn: start a chat session, record the shopper's feedback.

Actions change the chat session (Redis) and the database but never commit; the views do.
"""

from __future__ import annotations

from dataclasses import dataclass

from lumen import plans
from lumen.conversation import Link, Reply, SessionState
from lumen.extensions import db
from lumen.models import Conversation, Feedback, Shop
from lumen.shopify.domains import store_name
from lumen.shops import settings_of
from lumen.widget import chat_sessions, limits


@dataclass(frozen=True)
class StartedConversation:
    """A new chat session: its token and what the widget shows first."""

    token: str
    welcome: str
    quick_prompts: list[str]


def start_conversation(shop: Shop, client_ip: str) -> StartedConversation:
    """Open a chat session with fresh state; the conversation row waits for the first message.

    Past the plan's monthly limit the welcome says politely how to reach the store instead.
    RateLimited when the shopper's address has opened too many sessions this hour.
    """
    limits.limit_new_session(client_ip)
    settings = settings_of(shop)
    session_id = chat_sessions.new_session_id()
    state = SessionState.new(session_id)
    chat_sessions.create(session_id, chat_sessions.StoredSession(state.to_dict()))
    token = chat_sessions.issue_token(session_id, shop.id)
    if not plans.conversation_allowed(shop):
        return StartedConversation(token, unavailable_reply(shop).text, [])
    return StartedConversation(token, settings.welcome_message, list(settings.quick_prompts))


def record_feedback(shop: Shop, token: str, rating: str) -> None:
    """Keep the shopper's thumbs up or down; ignored before the first message."""
    stored = chat_sessions.load(chat_sessions.read_token(token, shop.id))
    if stored.conversation_id is None:
        return
    conversation = db.session.get(Conversation, stored.conversation_id)
    if conversation is not None and conversation.shop_id == shop.id:
        conversation.feedback = Feedback(rating)
        conversation.refresh_outcome()


def unavailable_reply(shop: Shop) -> Reply:
    """What shoppers read once the shop's plan has no conversations left this month."""
    name = store_name(shop.domain)
    return Reply(f"Sorry, our order assistant isn't available right now. You can still reach "
                 f"the {name} team through the store's contact page.",
                 links=[Link(url=f"https://{shop.domain}/pages/contact", label=f"Contact {name}")])
