"""Verification attempt limits: per session, per order across sessions, per shopper IP."""

from __future__ import annotations

import pytest

from lumen.conversation import AttemptLimiter, AttemptLimits

LOCKED = "too many unsuccessful attempts"


def fail_once(chat, order_name: str) -> str:
    chat.send(order_name)
    return chat.text("not-the-owner@example.com")


def reply_shape(result) -> list[dict]:
    return [reply.to_dict() for reply in result.replies]


def test_three_wrong_emails_lock_the_session(new_chat):
    chat = new_chat()
    assert LOCKED not in fail_once(chat, "#1042")
    assert LOCKED not in chat.text("still-wrong@example.com")
    third = chat.send("wrong-again@example.com")
    assert LOCKED in third.replies[0].text
    assert LOCKED in chat.text("#1042 maya.chen@example.com")
    assert chat.results[-1].order_names == []


def test_a_lock_opens_no_ticket_until_the_shopper_asks_for_a_person(new_chat):
    chat = new_chat()
    results = [chat.send(f"#1042 {name}@example.com") for name in "abcd"]
    assert LOCKED in results[-1].replies[0].text
    assert all(result.escalation is None for result in results)
    asked = chat.send("talk to a person")
    assert asked.escalation.reason == "verification_locked"
    assert "locked" in asked.escalation.summary


def test_yes_to_the_lock_messages_offer_opens_a_marked_ticket(new_chat):
    chat = new_chat()
    for name in "abc":
        chat.send(f"#1042 {name}@example.com")
    assert chat.send("yes please").escalation.reason == "verification_locked"


def test_a_person_asked_for_without_a_lock_is_not_marked(new_chat):
    assert new_chat().send("talk to a person").escalation.reason == "human_requested"


def test_after_the_lock_existing_and_missing_orders_get_the_same_reply(new_chat):
    chat = new_chat()
    for email in ("a@example.com", "b@example.com", "c@example.com"):
        chat.send(f"#1042 {email}")
    tripped = chat.results[-1]
    for probe in ("#1042", "#9999", "#1050 jordan.reyes@example.com", "#31337 x@example.com",
                  "#1042 maya.chen@example.com"):
        result = chat.send(probe)
        assert reply_shape(result) == reply_shape(tripped)
        assert result.escalation == tripped.escalation


def test_locked_sessions_do_not_query_the_store(new_chat):
    chat = new_chat()
    for email in ("a@example.com", "b@example.com", "c@example.com"):
        chat.send(f"#1042 {email}")
    calls = len(chat.store.calls)
    chat.send("#1050")
    chat.send("#9999")
    assert len(chat.store.calls) == calls


def test_five_failures_per_order_lock_it_across_sessions(new_chat):
    said = [fail_once(new_chat(ip=f"198.51.100.{index}"), "#1042") for index in range(5)]
    assert [LOCKED in text for text in said] == [False, False, False, False, True]
    owner = new_chat(ip="192.0.2.99")
    assert LOCKED in owner.text("#1042 maya.chen@example.com")
    assert "Thanks, that email matches" in owner.text("#1050 jordan.reyes@example.com")


def test_the_shoppers_ip_is_limited_across_sessions_and_orders(new_chat, demo_orders):
    names = sorted(demo_orders)
    for session in range(10):
        chat = new_chat(ip="203.0.113.50")
        for attempt in range(3):
            fail_once(chat, names[(session * 3 + attempt) % len(names)])
    assert LOCKED in new_chat(ip="203.0.113.50").text("#1050 jordan.reyes@example.com")
    assert "Thanks" in new_chat(ip="203.0.113.51").text("#1050 jordan.reyes@example.com")


def test_a_busy_store_behind_one_address_is_not_locked_out_early(new_chat):
    for index in range(9):
        chat = new_chat(ip="203.0.113.60")
        fail_once(chat, "#1019" if index % 2 else "#1050")
    assert "Thanks" in new_chat(ip="203.0.113.60").text("#1042 maya.chen@example.com")


def test_guessing_order_numbers_locks_the_session(new_chat):
    chat = new_chat()
    for number in range(2000, 2010):
        assert "wasn't able to find" in chat.text(f"#{number}")
    assert LOCKED in chat.text("#2010")
    assert LOCKED in chat.text("#1042")


def test_correct_answers_do_not_count(new_chat):
    chat = new_chat()
    for _ in range(5):
        chat.send("#1042 maya.chen@example.com")
    assert chat.results[-1].state.failed_attempts == 0
    assert LOCKED not in chat.text("#1050 wrong@example.com")


def test_limits_live_in_redis_under_keyed_digests(app):
    limiter = AttemptLimiter(AttemptLimits(per_session=1))
    assert not limiter.blocked("session-1", "1:#1042", "203.0.113.9")
    assert limiter.reserve("session-1", "1:#1042", "203.0.113.9")
    assert limiter.blocked("session-1", "1:#2000", "203.0.113.10")
    keys = b" ".join(app.extensions["redis"].keys("*"))
    assert b"203.0.113.9" not in keys and b"#1042" not in keys and b"session-1" not in keys


@pytest.mark.parametrize("ip", ["", "203.0.113.9"])
def test_the_ip_bucket_is_skipped_only_without_an_ip(app, ip):
    limiter = AttemptLimiter(AttemptLimits(per_ip=1, per_session=10, per_order=10))
    limiter.reserve("s1", "1:#1", ip)
    assert limiter.blocked("s2", "1:#2", ip) is bool(ip)


def test_a_full_bucket_refuses_the_reservation_and_counts_nothing(app):
    limiter = AttemptLimiter(AttemptLimits(per_order=2, per_session=10, per_ip=10))
    assert limiter.reserve("s1", "1:#1", "203.0.113.9")
    assert limiter.reserve("s2", "1:#1", "203.0.113.9")
    assert not limiter.reserve("s3", "1:#1", "203.0.113.9")
    # The refused attempt left the session and address buckets alone.
    other = AttemptLimiter(AttemptLimits(per_order=10, per_session=1, per_ip=2))
    assert other.reserve("s3", "1:#2", "203.0.113.8")
    assert not other.reserve("s9", "1:#3", "203.0.113.9")


def test_released_reservations_leave_room_for_the_next_one(app):
    limiter = AttemptLimiter(AttemptLimits(per_order=1))
    assert limiter.reserve("s1", "1:#1", "203.0.113.9")
    limiter.release("s1", "1:#1", "203.0.113.9")
    assert limiter.reserve("s2", "1:#1", "203.0.113.9")
    assert not limiter.reserve("s3", "1:#1", "203.0.113.9")


def test_a_session_out_of_misses_cannot_reserve_a_comparison(app):
    limiter = AttemptLimiter(AttemptLimits(misses_per_session=1))
    limiter.record_miss("s1", "203.0.113.9")
    assert not limiter.reserve("s1", "1:#1", "203.0.113.9")


@pytest.mark.parametrize(("first", "second", "shared"), [
    ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", True),
    ("2001:db8:1:2::1", "2001:db8:1:3::1", False),
    ("::ffff:203.0.113.9", "203.0.113.9", True),
    ("203.0.113.9", "203.0.113.10", False),
])
def test_ipv6_addresses_share_a_bucket_by_64(app, first, second, shared):
    limiter = AttemptLimiter(AttemptLimits(per_ip=1, per_session=10, per_order=10))
    assert limiter.reserve("s1", "1:#1", first)
    assert limiter.reserve("s2", "1:#2", second) is not shared


def test_no_lookup_once_the_order_is_locked(new_chat):
    for index in range(5):
        fail_once(new_chat(ip=f"198.51.100.{index}"), "#1042")
    store = new_chat().store
    calls = len(store.calls)
    owner = new_chat(ip="192.0.2.99")
    assert LOCKED in owner.text("#1042 maya.chen@example.com")
    assert len(store.calls) == calls


def test_a_store_outage_gives_the_reservation_back(new_chat, store):
    chat = new_chat(limiter=AttemptLimiter(AttemptLimits(per_order=1)))
    store.down = True
    chat.send("#1042 maya.chen@example.com")
    store.down = False
    assert "Thanks, that email matches" in chat.text("#1042 maya.chen@example.com")


@pytest.mark.parametrize("email_code", [False, True])
def test_the_lock_reply_reads_the_same_for_real_and_missing_orders(new_chat, email_code):
    from dataclasses import replace

    from tests.conversation.conftest import SHOP

    shop = replace(SHOP, email_codes=email_code)
    said = []
    for name in ("#1042", "#9999"):
        chat = new_chat(shop=shop, limiter=AttemptLimiter(AttemptLimits(per_session=0)))
        said.append(reply_shape(chat.send(f"{name} someone@example.com")))
    assert said[0] == said[1]
    text = said[0][0]["text"]
    assert LOCKED in text and "#1042" not in text and "#9999" not in text
    assert ("one-time code" in text) is email_code
