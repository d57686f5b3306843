"""A few weeks of conversations for the demo shop, so a new user opens a living admin.

Every conversation is real: it is played through the widget API (the app-proxy shim, the
engine, the development store, the transcript writer), exactly as a shopper would. Only the
clock is then moved: each finished conversation is shifted to a moment in the past 30 days,
its shopper given a human few seconds to type each message, so the list, the filters and the
analytics have history to show.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import func, select

from lumen.demo.proxy_shim import PROXY_PREFIX
from lumen.extensions import db
from lumen.models import Conversation, Shop, utcnow

DAYS = 30


@dataclass(frozen=True)
class Script:
    """What one shopper types, and the thumbs they give at the end (if any)."""

    messages: tuple[str, ...]
    feedback: str | None = None


# Emails are the development store's made-up @example.com customers.
SCRIPTS = (
    Script(("Where is my order?", "1050", "jordan.reyes@example.com")),  # answered
    Script(("Can you check order #1042?", "maya.chen@example.com", "thanks!")),  # confirmed
    Script(("Track my package", "#1019 jordan.reyes@example.com"), "up"),  # confirmed
    Script(("order 1088", "chris.alvarez@example.com", "when will it ship?")),  # answered
    Script(("has order 1031 shipped?", "lena.fischer@example.com", "ok thank you")),
    Script(("order 1063 status please", "alex.murphy@example.com"), "down"),  # answered
    Script(("Where is my stuff?",)),  # unanswered: left before giving a number
    Script(("Check order 9999",)),  # unanswered: not found
    Script(("order 1077", "wrong.person@example.com")),  # unanswered: email not matched
    Script(("It says delivered but I never got my package. Order 1036",
            "sam.okafor@example.com", "yes please")),  # escalated: not received
    Script(("I want a refund for order 1055", "priya.natarajan@example.com")),  # escalated
    Script(("this is useless, I want to talk to a person",)),  # escalated: human
    Script(("hi", "what are your opening hours?")),  # other
    Script(("hello!", "thanks"), "up"),  # other
    Script(("order 1039", "guess1@example.com", "guess2@example.com", "guess3@example.com",
            "guess4@example.com", "guess5@example.com")),  # escalated: verification locked
)
# How often each script is played: ordinary tracking questions dominate, as in real stores.
WEIGHTS = (6, 4, 3, 3, 2, 2, 3, 2, 2, 2, 1, 1, 3, 2, 1)


def seed_demo_conversations(app: Flask, shop: Shop, count: int = 45, seed: int = 7) -> int:
    """Play ``count`` scripted conversations through the widget API, then spread them over
    the past 30 days; nothing happens if the shop already has conversations."""
    existing = db.session.scalar(select(func.count(Conversation.id))
                                 .where(Conversation.shop_id == shop.id))
    if existing:
        return 0
    rng = random.Random(seed)
    # Every script at least once, the common ones more often, in a shuffled order.
    playlist = [script for script, weight in zip(SCRIPTS, WEIGHTS, strict=True)
                for _ in range(weight)]
    rng.shuffle(playlist)
    client = app.test_client()
    now = utcnow()
    for index in range(count):
        script = playlist[index % len(playlist)]
        conversation_id = _play(client, script, f"198.51.100.{index % 250 + 1}")
        if conversation_id is not None:
            _move_to(conversation_id, _moment(rng, now), rng)
    db.session.commit()
    return count


def _play(client, script: Script, ip: str) -> int | None:
    environ = {"REMOTE_ADDR": ip}
    token = client.post(f"{PROXY_PREFIX}/api/sessions", json={},
                        environ_overrides=environ).get_json()["session"]
    for text in script.messages:
        client.post(f"{PROXY_PREFIX}/api/messages", json={"session": token, "text": text},
                    environ_overrides=environ)
    if script.feedback:
        client.post(f"{PROXY_PREFIX}/api/feedback",
                    json={"session": token, "rating": script.feedback},
                    environ_overrides=environ)
    db.session.expire_all()
    return db.session.scalar(select(func.max(Conversation.id)))


def _moment(rng: random.Random, now: datetime) -> datetime:
    """A time in the past 30 days, busier in the daytime (UTC-5 stores: 13:00-03:00 UTC)."""
    day = rng.randrange(DAYS)
    hour = rng.choice([13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 0, 1, 2, 3, 8, 10])
    moment = (now - timedelta(days=day)).replace(hour=hour, minute=rng.randrange(60),
                                                second=rng.randrange(60))
    return moment if moment < now else moment - timedelta(days=1)


def _move_to(conversation_id: int, started: datetime, rng: random.Random) -> None:
    """Move one conversation to ``started``, the shopper taking a human while to type each
    message (the engine answered in milliseconds; people do not)."""
    conversation = db.session.get(Conversation, conversation_id)
    shift, moment = started - conversation.started_at, started
    conversation.started_at = started
    for message in conversation.messages:
        if message.role.value == "shopper" and message is not conversation.messages[0]:
            moment += timedelta(seconds=rng.randint(8, 75))
        reply_delay = timedelta(milliseconds=(message.latency_ms or 0))
        message.created_at = moment + (reply_delay if message.role.value == "assistant"
                                       else timedelta())
    if conversation.messages:
        conversation.ended_at = conversation.messages[-1].created_at
    if conversation.ticket is not None:
        conversation.ticket.created_at = conversation.ticket.created_at + shift
        conversation.ticket.created_at = max(conversation.ticket.created_at, started)
        conversation.ticket.updated_at = conversation.ticket.created_at
    db.session.flush()
