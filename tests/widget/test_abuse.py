"""Scripted visitors cannot use up a shop's month, flood its tickets or open endless sessions,
and limits count the shopper's address however many proxies of ours stand in front."""

from __future__ import annotations

import pytest

from lumen import plans
from lumen.extensions import db
from lumen.models import Ticket
from lumen.tickets import actions as tickets
from lumen.widget import limits
from tests.widget.conftest import order
from tests.widget.proxy import Chat

MATCHED = "that email matches"
REFUSED = "can't pass more requests"


def ticket_count() -> int:
    db.session.expire_all()
    return db.session.query(Ticket).count()


def script_round(proxy, ip: str, number: int) -> None:
    """What a script does with one session: hello, an order number, a guess, a person."""
    response = proxy.post("api/sessions", {}, ip=ip)
    if response.status_code != 201:
        return
    token = response.get_json()["session"]
    for text in ("hi", f"#{1000 + number % 60}", f"guess{number}@example.com",
                 "talk to a person"):
        proxy.post("api/messages", {"session": token, "text": text}, ip=ip)


def say_hi(proxy, ip: str) -> None:
    response = proxy.post("api/sessions", {}, ip=ip)
    if response.status_code == 201:
        proxy.post("api/messages", {"session": response.get_json()["session"], "text": "hi"},
                   ip=ip)


def real_shopper_is_served(proxy, ip: str = "192.0.2.77") -> bool:
    chat = Chat(proxy, ip=ip)
    chat.say("where is order #1042?")
    return MATCHED in chat.say(order("#1042")["email"])


@pytest.fixture
def small_plan(app, shop):
    app.config["LUMEN_PLAN_LIMITS"] = {"free": 3, "pro": 3, "pro_plus": 3}
    return shop


@pytest.mark.parametrize(("addresses", "rounds"), [(1, 100), (50, 2)])
def test_scripted_visitors_cannot_use_up_the_month(proxy, small_plan, addresses, rounds):
    for index in range(rounds * addresses):
        ip = f"198.51.100.{index % addresses + 1}"
        if index % 5:
            say_hi(proxy, ip)  # the reported attack: open a session, say hi
        else:
            script_round(proxy, ip, index)
    assert plans.usage(small_plan).conversations == 0
    assert real_shopper_is_served(proxy)
    assert plans.usage(small_plan).conversations == 1


def test_one_order_asked_about_in_many_conversations_counts_once(proxy, small_plan):
    for index in range(5):
        assert real_shopper_is_served(proxy, ip=f"192.0.2.{index + 1}")
    assert plans.usage(small_plan).conversations == 1


def test_new_tickets_are_capped_per_address(proxy, monkeypatch):
    monkeypatch.setattr(tickets, "TICKETS_PER_ADDRESS_PER_HOUR", 2)
    said = [Chat(proxy, ip="198.51.100.5").say("talk to a person") for _ in range(3)]
    assert [REFUSED in text for text in said] == [False, False, True]
    assert "passed this conversation" not in said[-1] and "/pages/contact" in said[-1]
    assert ticket_count() == 2
    assert REFUSED not in Chat(proxy, ip="198.51.100.6").say("talk to a person")
    assert ticket_count() == 3


def test_anonymous_tickets_cannot_crowd_out_verified_shoppers(proxy, monkeypatch):
    monkeypatch.setattr(tickets, "ANONYMOUS_TICKETS_PER_SHOP_PER_HOUR", 3)
    said = [Chat(proxy, ip=f"198.51.100.{n}").say("talk to a person") for n in range(1, 6)]
    assert [REFUSED in text for text in said] == [False] * 3 + [True] * 2
    shopper = Chat(proxy, ip="192.0.2.9")
    shopper.say("#1042")
    shopper.say(order("#1042")["email"])
    assert REFUSED not in shopper.say("talk to a person")
    assert ticket_count() == 4


def test_the_shop_has_an_hourly_ticket_ceiling(proxy, monkeypatch):
    monkeypatch.setattr(tickets, "TICKETS_PER_SHOP_PER_HOUR", 1)
    assert REFUSED not in Chat(proxy, ip="198.51.100.1").say("talk to a person")
    assert REFUSED in Chat(proxy, ip="198.51.100.2").say("talk to a person")
    assert ticket_count() == 1


def test_a_conversation_with_a_ticket_may_always_update_it(proxy, monkeypatch):
    chat = Chat(proxy, ip="198.51.100.5")
    chat.say("talk to a person")
    monkeypatch.setattr(tickets, "TICKETS_PER_ADDRESS_PER_HOUR", 0)
    monkeypatch.setattr(tickets, "TICKETS_PER_SHOP_PER_HOUR", 0)
    chat.say("#1042")
    assert "I've added your order #1042" in chat.say(order("#1042")["email"])
    db.session.expire_all()
    assert db.session.query(Ticket).one().order_name == "#1042"


def test_an_address_may_open_a_hundred_sessions_an_hour(proxy, monkeypatch):
    monkeypatch.setattr(limits, "IP_REQUESTS_PER_MINUTE", 10_000)
    assert limits.SESSIONS_PER_ADDRESS_PER_HOUR >= 100
    statuses = {proxy.post("api/sessions", {}, ip="198.51.100.7").status_code
                for _ in range(100)}
    assert statuses == {201}


@pytest.mark.parametrize(("blocked", "neighbour", "shared"), [
    ("198.51.100.7", "198.51.100.8", False),
    ("2001:db8:0:1::7", "2001:db8:0:1:8::8", True),
    ("2001:db8:0:1::7", "2001:db8:0:2::7", False),
])
def test_session_creation_is_limited_per_address_and_ipv6_64(proxy, monkeypatch, blocked,
                                                             neighbour, shared):
    monkeypatch.setattr(limits, "SESSIONS_PER_ADDRESS_PER_HOUR", 3)
    for _ in range(3):
        assert proxy.post("api/sessions", {}, ip=blocked).status_code == 201
    refused = proxy.post("api/sessions", {}, ip=blocked)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 60
    expected = 429 if shared else 201
    assert proxy.post("api/sessions", {}, ip=neighbour).status_code == expected


@pytest.mark.parametrize("hops", [0, 1, 2])
def test_ip_limits_count_the_shopper_behind_our_trusted_hops(app, proxy, monkeypatch, hops):
    app.config["LUMEN_TRUSTED_PROXY_HOPS"] = hops
    monkeypatch.setattr(limits, "IP_REQUESTS_PER_MINUTE", 2)
    ours = ["10.0.0.1", "10.0.0.2"][:hops]

    def forwarded(spoofed: str, shopper: str) -> str:
        # A shopper may send any X-Forwarded-For; Shopify appends the real address, then
        # each of our load balancers appends the one it saw.
        return ", ".join([spoofed, shopper, *ours])

    for spoof in ("1.1.1.1", "2.2.2.2"):
        assert proxy.post("api/sessions", {}, ip=forwarded(spoof, "198.51.100.1")
                          ).status_code == 201
    # A new spoofed entry does not make a new shopper; the next shopper is not held up.
    assert proxy.post("api/sessions", {}, ip=forwarded("3.3.3.3", "198.51.100.1")
                      ).status_code == 429
    assert proxy.post("api/sessions", {}, ip=forwarded("1.1.1.1", "198.51.100.2")
                      ).status_code == 201


def test_fifty_addresses_at_their_limit_leave_room_for_real_shoppers(proxy, monkeypatch):
    # Scaled down: each address's limit to 2 a minute, the shop's by the same ratio.
    ratio = limits.SHOP_REQUESTS_PER_MINUTE // limits.IP_REQUESTS_PER_MINUTE
    assert ratio > 50
    monkeypatch.setattr(limits, "IP_REQUESTS_PER_MINUTE", 2)
    monkeypatch.setattr(limits, "SHOP_REQUESTS_PER_MINUTE", 2 * ratio)
    for index in range(50):
        statuses = [proxy.post("api/sessions", {}, ip=f"198.51.100.{index + 1}").status_code
                    for _ in range(4)]
        assert statuses == [201, 201, 429, 429]
    assert proxy.post("api/sessions", {}, ip="192.0.2.1").status_code == 201
