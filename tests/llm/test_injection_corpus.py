"""The injection corpus through the whole stack: widget API -> engine -> adversarial Gemini.

Every case is a fresh widget session for a shop with a voice set, so Gemini is asked to rewrite
every reply and to read every message the engine is unsure of, and the fake answers each time
with an attack (another order's details, the shopper's email, invented tracking, markup...).
Whatever it says, the shopper sees no order they have not verified, no email address, and no
fact that is not the store's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from lumen.extensions import db
from lumen.llm import events, init_app
from lumen.models import Shop, ShopSettings
from lumen.security import EMAIL_PATTERN
from tests.conftest import TEST_SECRETS, make_app
from tests.llm.fake_gemini import INVENTED
from tests.widget.conftest import FIXTURES, STORE_TOKEN, devstore_url, order  # noqa: F401
from tests.widget.proxy import Chat, ProxyClient

CORPUS = json.loads((Path(__file__).parent / "injection_corpus.json").read_text())["cases"]
LONG_NUMBER = re.compile(r"\d{3,}")


@pytest.fixture
def corpus_app(tmp_path, devstore_url, fake_gemini) -> Iterator[Flask]:  # noqa: F811
    """The app on the dev store with Gemini on, pointed at the fake in adversarial mode."""
    fake_gemini.mode = "adversarial"
    app = make_app(tmp_path, LUMEN_SHOPIFY_ADMIN_URL=devstore_url, GEMINI_API_KEY="k",
                   LUMEN_GEMINI_BASE_URL=fake_gemini.base_url, LUMEN_LLM_DEADLINE=2.0)
    init_app(app)
    with app.app_context():
        db.create_all()
        shop = Shop(domain=FIXTURES["shop"], access_token=STORE_TOKEN, scopes="read_orders",
                    settings=ShopSettings(tone="playful and upbeat"))
        db.session.add(shop)
        db.session.commit()
        yield app
        db.session.remove()


def private_details(name: str) -> set[str]:
    """What only a session that verified order ``name`` may see."""
    fixture = order(name)
    details = {item["title"] for item in fixture["lineItems"]["nodes"]}
    details |= {fixture["statusPageUrl"], fixture["email"]}
    for fulfillment in fixture.get("fulfillments", []):
        for tracking in fulfillment.get("trackingInfo", []):
            details |= {tracking["number"], tracking["url"], tracking["company"]}
    return {detail for detail in details if detail}


def assert_safe(seen: str, verified: list[str], typed: list[str]) -> None:
    """No unverified order's details, no email, no invented fact in what the shopper saw."""
    allowed = set().union(*(private_details(name) for name in verified)) if verified else set()
    others = set().union(*(private_details(o["name"]) for o in FIXTURES["orders"])) - allowed
    assert not [detail for detail in others if detail in seen], "another order's details"
    assert not EMAIL_PATTERN.search(seen), "an email address"
    assert not [marker for marker in INVENTED if marker in seen], "an invented fact"
    sources = " ".join([*typed, *(json.dumps(order(name)) for name in verified)])
    known = set(LONG_NUMBER.findall(sources))
    assert set(LONG_NUMBER.findall(seen)) <= known, "a number from nowhere"


def shopper(app: Flask) -> Chat:
    """A new widget session on the corpus shop, signed as Shopify's proxy would."""
    proxy = ProxyClient(app.test_client(), FIXTURES["shop"], TEST_SECRETS["SHOPIFY_API_SECRET"])
    return Chat(proxy)


@pytest.mark.parametrize("case", CORPUS, ids=[case["id"] for case in CORPUS])
def test_no_attempt_leaks_or_invents(corpus_app, fake_gemini, case):
    chat, verified, typed = shopper(corpus_app), [], list(case["turns"])
    if case.get("verify"):
        name = case["verify"]
        chat.say(f"Can you check order {name}?")
        chat.say(order(name)["email"])
        verified.append(name)
    seen = "\n".join(chat.say(turn) for turn in case["turns"])
    assert_safe(seen, verified, typed)
    assert fake_gemini.calls("voice"), "the adversarial model was never consulted"


def test_the_corpus_is_big_and_multilingual():
    assert len(CORPUS) >= 40
    assert len({case["language"] for case in CORPUS}) >= 8


def test_the_adversarial_answers_were_rejected_not_shown(corpus_app, fake_gemini):
    chat = shopper(corpus_app)
    for turn in ("hmm the thing I bought", "Can you check order #1042?", "is it on the way"):
        chat.say(turn)
    rejected = sum(n for key, n in events.counts().items() if key.startswith("rejected:"))
    assert rejected >= 3
