"""Fixtures for engine-level conversations over the bundled development-store orders."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.resources import files

import pytest

from lumen.conversation import (
    AttemptLimiter,
    LookupUnavailable,
    SessionState,
    ShopProfile,
    TurnResult,
    handle_turn,
    seal,
)

FIXTURES = files("lumen.devstore.fixtures") / "demo_orders.json"
# The fixture story's "today" (see the notes in demo_orders.json).
STORY_NOW = datetime(2026, 2, 26, 12, 0, tzinfo=UTC)
SHOP = ShopProfile(shop_id=1, domain="lumen-demo.myshopify.com", store_name="Lumen Demo")


def load_orders() -> dict[str, dict]:
    """The bundled demo orders by name."""
    return {order["name"]: order for order in json.loads(FIXTURES.read_text())["orders"]}


@dataclass
class FakeStore:
    """An OrderLookup over a dict of Order JSON; can be switched off to simulate an outage."""

    orders: dict[str, dict]
    down: bool = False
    calls: list[str] = field(default_factory=list)

    def __call__(self, name: str):
        self.calls.append(name)
        if self.down:
            raise LookupUnavailable("store unreachable")
        order = self.orders.get(name)
        return seal(order) if order else None


@dataclass
class Chat:
    """One shopper's session, driven turn by turn through handle_turn."""

    store: FakeStore
    shop: ShopProfile = SHOP
    ip: str = "203.0.113.7"
    limiter: AttemptLimiter = field(default_factory=AttemptLimiter)
    state: SessionState = field(default_factory=SessionState.new)
    results: list[TurnResult] = field(default_factory=list)
    policies: tuple = ()

    def send(self, text: str) -> TurnResult:
        """Send a message; the state carries over through its JSON form, as in Redis."""
        result = handle_turn(self.state, text, shop=self.shop, lookup=self.store,
                             limiter=self.limiter, client_ip=self.ip, now=STORY_NOW,
                             policy_source=lambda: self.policies)
        self.state = SessionState.from_dict(json.loads(json.dumps(result.state.to_dict())))
        self.results.append(result)
        return result

    def text(self, text: str) -> str:
        """Send a message and return all reply texts joined by newlines."""
        return "\n".join(reply.text for reply in self.send(text).replies)


@pytest.fixture(scope="session")
def demo_orders() -> dict[str, dict]:
    """The bundled demo orders by name (do not mutate; copy first)."""
    return load_orders()


@pytest.fixture
def store(app, demo_orders) -> FakeStore:
    """A lookup over fresh copies of the demo orders, inside the app context."""
    return FakeStore(json.loads(json.dumps(demo_orders)))


@pytest.fixture
def new_chat(store) -> Callable[..., Chat]:
    """Factory: a new chat session against the fake store."""
    def factory(**overrides) -> Chat:
        return Chat(store, **overrides)
    return factory
