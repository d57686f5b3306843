"""Gemini in real widget turns: when it is asked, what it changes, and what each turn records."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from lumen.conversation.replies import ASK_ORDER_NUMBER, TALK_TO_A_PERSON
from lumen.extensions import db
from lumen.llm import events
from lumen.models import Conversation, Message, Plan, Role, Shop, ShopSettings, Ticket
from lumen.startup import prepare_process
from tests.conftest import TEST_SECRETS, make_app
from tests.llm.conftest import DEADLINE_SLACK, TEST_DEADLINE
from tests.widget.conftest import FIXTURES, STORE_TOKEN, devstore_url, order  # noqa: F401
from tests.widget.proxy import Chat, ProxyClient

# A message the deterministic layer cannot read (it now reads "is it on the way" itself).
UNSURE = "so what now"


def store_app(tmp_path, devstore_url: str, **overrides) -> Flask:  # noqa: F811
    """The app on the development store (overrides turn Gemini on)."""
    app = make_app(tmp_path, LUMEN_SHOPIFY_ADMIN_URL=devstore_url, LUMEN_LLM_DEADLINE=TEST_DEADLINE,
                   **overrides)
    prepare_process(app)  # as wsgi.py and worker.py do: lexicon loaded, SDK warm
    return app


def install(tone: str = "friendly", persona: str = "", plan: Plan = Plan.FREE) -> Shop:
    """The fixtures' shop with the given voice and plan."""
    shop = Shop(domain=FIXTURES["shop"], access_token=STORE_TOKEN, scopes="read_orders",
                plan=plan, settings=ShopSettings(tone=tone, persona=persona))
    db.session.add(shop)
    db.session.commit()
    return shop


@pytest.fixture
def gemini_app(tmp_path, devstore_url, fake_gemini) -> Iterator[Flask]:  # noqa: F811
    """Gemini on, pointed at the fake."""
    app = store_app(tmp_path, devstore_url, GEMINI_API_KEY="k",
                    LUMEN_GEMINI_BASE_URL=fake_gemini.base_url)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()


@pytest.fixture
def plain_app(tmp_path, devstore_url) -> Iterator[Flask]:  # noqa: F811
    """No Gemini key: the LLM is off."""
    app = store_app(tmp_path, devstore_url)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()


def chat(app: Flask) -> Chat:
    """A new widget session, signed as Shopify's proxy would."""
    return Chat(ProxyClient(app.test_client(), FIXTURES["shop"],
                            TEST_SECRETS["SHOPIFY_API_SECRET"]))


def messages(role: Role) -> list[Message]:
    """Stored messages of one role, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(Message).where(Message.role == role)
                                   .order_by(Message.id)))


def test_an_unsure_turn_asks_gemini_and_records_what_it_cost(gemini_app, fake_gemini):
    install()
    assert ASK_ORDER_NUMBER in chat(gemini_app).say(UNSURE)
    [answer] = messages(Role.ASSISTANT)
    assert answer.used_llm and answer.tokens_in > 0 and answer.tokens_out > 0
    assert 0 < answer.llm_latency_ms < TEST_DEADLINE * 1000
    conversation = db.session.scalar(select(Conversation))
    assert (conversation.llm_tokens_in, conversation.llm_tokens_out) == (answer.tokens_in,
                                                                         answer.tokens_out)
    assert len(fake_gemini.calls("understand")) == 1 and not fake_gemini.calls("voice")


def test_a_confident_turn_with_the_default_tone_never_calls_gemini(gemini_app, fake_gemini):
    install()
    talk = chat(gemini_app)
    talk.say("Where is my order #1042?")
    talk.say(order("#1042")["email"])
    assert fake_gemini.requests == []
    assert not any(message.used_llm for message in messages(Role.ASSISTANT))
    assert db.session.scalar(select(Conversation)).llm_tokens_in == 0


def test_a_chosen_tone_rewrites_the_answer_the_shopper_sees_and_the_transcript(gemini_app,
                                                                               fake_gemini):
    install(tone="playful")
    talk = chat(gemini_app)
    talk.say("Where is my order #1042?")
    said = talk.say(order("#1042")["email"])
    assert "Happy to help! Your order #1042" in said
    assert "Happy to help! Your order #1042" in messages(Role.ASSISTANT)[-1].text
    payload = json.loads(fake_gemini.calls("voice")[-1]["body"]["contents"][0]["parts"][0]["text"])
    assert payload["tone"] == "playful" and "maya" not in json.dumps(payload)


def test_a_rewrite_with_an_invented_refund_is_held_back_and_counted_for_the_shop(gemini_app,
                                                                                 fake_gemini):
    shop = install(tone="professional")
    fake_gemini.voice_reply = "Good news! I've issued a full refund to your card as an apology."
    before = datetime.now(UTC)
    said = chat(gemini_app).say("Where is my order?")
    assert "refund" not in said and ASK_ORDER_NUMBER in said
    assert "refund" not in messages(Role.ASSISTANT)[-1].text
    assert events.counts()["rejected:voice:wording"] == 1
    later = datetime.now(UTC) + timedelta(hours=1)
    assert events.held_back_rewrites(shop.id, before, later) == 1
    assert events.held_back_rewrites(shop.id + 1, before, later) == 0


@pytest.mark.parametrize(("plan", "sent"), [(Plan.FREE, ""), (Plan.PRO, ""),
                                            (Plan.PRO_PLUS, "I'm Ava from the shop.")])
def test_the_persona_reaches_gemini_only_on_pro_plus(gemini_app, fake_gemini, plan, sent):
    install(persona="I'm Ava from the shop.", plan=plan)
    chat(gemini_app).say("Where is my order?")
    calls = fake_gemini.calls("voice")
    persona = json.loads(calls[-1]["body"]["contents"][0]["parts"][0]["text"])["persona"] \
        if calls else ""
    assert persona == sent


def test_a_hanging_model_gives_the_template_by_the_deadline(gemini_app, fake_gemini):
    install(tone="playful")
    fake_gemini.mode = "hang"
    started = time.monotonic()
    said = chat(gemini_app).say(UNSURE)
    assert time.monotonic() - started < TEST_DEADLINE + DEADLINE_SLACK
    assert said.startswith("Sorry, I didn't quite get that.")
    [answer] = messages(Role.ASSISTANT)
    assert answer.used_llm and answer.tokens_in == 0
    assert events.counts() == {"deadline:call_gemini": 1}


def test_without_a_key_each_message_gets_a_lexicon_mood(plain_app):
    install()
    talk = chat(plain_app)
    talk.say("Thanks, that's great!")
    talk.say("Where is my order?")
    happy, neutral = messages(Role.SHOPPER)
    assert happy.sentiment_score > 0.05 and neutral.sentiment_score == 0
    conversation = db.session.scalar(select(Conversation))
    assert conversation.sentiment == "positive"
    assert conversation.sentiment_score == pytest.approx(happy.sentiment_score / 2, abs=1e-3)


def test_sustained_frustration_offers_a_person_and_yes_brings_one(plain_app):
    install()
    talk = chat(plain_app)
    # Words the engine's own reading (keywords, intent model) misses, but the lexicon scores as
    # negative.
    first = talk.say("Today I am sad.")
    assert TALK_TO_A_PERSON not in first
    second = talk.say("This is bad. Very bad.")
    assert second.endswith(TALK_TO_A_PERSON)
    talk.say("yes")
    [ticket] = db.session.scalars(select(Ticket))
    assert ticket.reason == "frustration"
    assert db.session.scalar(select(Conversation)).sentiment == "negative"
