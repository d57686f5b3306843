"""100 simultaneous email guesses on one order, against the real app, PostgreSQL and Redis.

The development store answers after 50 ms, as Shopify might, so every guess is in flight at
once. Whatever the spread (one session, a few sessions on one address, many addresses), no
more guesses than the cap reach Shopify and get compared, and the right email sent once the
cap is spent is refused like any other.
"""

from __future__ import annotations

import threading
import time

import pytest

from lumen.devstore import create_devstore_app
from lumen.devstore.ledger import CallLedger
from lumen.widget import limits
from tests.conftest import TEST_SECRETS, migrated_app, served_on_loopback
from tests.widget.conftest import FIXTURES, SHOP_DOMAIN, STORE_TOKEN, order
from tests.widget.proxy import Chat, ProxyClient, replies_text

pytestmark = pytest.mark.integration
GUESSES = 100
ORDER = "#1042"
LOCKED = "too many unsuccessful attempts"
MATCHED = "that email matches"
# The order fetches a guess is compared with (OrderLookup for a large order); each follows an
# OrderCandidates search.
COMPARED = ("OrderFollowUp", "OrderLookup")


@pytest.fixture
def store():
    """A slow development store (50 ms a call) on a loopback port, noting its calls."""
    ledger = CallLedger(create_devstore_app(
        FIXTURES, access_tokens={STORE_TOKEN}, latency_ms=50, bucket_size=1_000_000,
        restore_rate=1_000_000))
    with served_on_loopback(ledger) as ledger.url:
        yield ledger


@pytest.fixture
def live_app(tmp_path, postgres_url, redis_url, store, monkeypatch):
    """The app on migrated PostgreSQL and real Redis; request limits out of the way."""
    monkeypatch.setattr(limits, "IP_REQUESTS_PER_MINUTE", 10_000)
    monkeypatch.setattr(limits, "SESSION_MESSAGES_PER_MINUTE", 10_000)
    engine = {"pool_size": 10, "max_overflow": 40, "pool_timeout": 120, "pool_pre_ping": True}
    with migrated_app(tmp_path, SQLALCHEMY_DATABASE_URI=postgres_url, REDIS_URL=redis_url,
                      LUMEN_SHOPIFY_ADMIN_URL=store.url,
                      SQLALCHEMY_ENGINE_OPTIONS=engine) as app:
        from lumen.extensions import db
        from lumen.models import Shop, ShopSettings

        db.session.add(Shop(domain=SHOP_DOMAIN, access_token=STORE_TOKEN, scopes="read_orders",
                            settings=ShopSettings()))
        db.session.commit()
        yield app


def proxy_for(app) -> ProxyClient:
    return ProxyClient(app.test_client(), SHOP_DOMAIN, TEST_SECRETS["SHOPIFY_API_SECRET"])


@pytest.mark.parametrize(("sessions", "addresses", "cap"), [
    (1, 1, 3),     # one session: the session's cap
    (5, 1, 5),     # 5 sessions x 20 guesses on one address: the order's cap
    (50, 50, 5),   # 50 sessions on 50 addresses: the order's cap
])
def test_a_burst_of_guesses_is_compared_at_most_cap_times(live_app, store, sessions,
                                                          addresses, cap):
    chats = [Chat(proxy_for(live_app), ip=f"198.51.100.{index % addresses + 1}")
             for index in range(sessions)]
    assert store.count(*COMPARED) == 0
    barrier = threading.Barrier(GUESSES + 1)
    said: list[str] = []

    def guess(index: int) -> None:
        session = chats[index % sessions]
        barrier.wait()
        response = session.send(f"{ORDER} guess{index}@example.com")
        assert response.status_code == 200, response.get_data(as_text=True)
        said.append(replies_text(response.get_json()["replies"]))

    def the_owner() -> None:
        # The right email, once the cap is spent while the other guesses are still arriving.
        owner = chats[0] if sessions == 1 else Chat(proxy_for(live_app), ip="192.0.2.44")
        barrier.wait()
        deadline = time.monotonic() + 60
        while store.count(*COMPARED) < cap and time.monotonic() < deadline:
            time.sleep(0.001)
        said.append("OWNER " + owner.say(f"{ORDER} {order(ORDER)['email']}"))

    threads = [threading.Thread(target=guess, args=(index,)) for index in range(GUESSES)]
    threads.append(threading.Thread(target=the_owner))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(said) == GUESSES + 1
    assert store.count(*COMPARED) == cap
    assert not [text for text in said if MATCHED in text]
    [owner_reply] = [text for text in said if text.startswith("OWNER ")]
    assert LOCKED in owner_reply
    assert sum(LOCKED in text for text in said) >= GUESSES + 1 - cap
