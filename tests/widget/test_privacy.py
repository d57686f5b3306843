"""After full conversations, no customer email or phone number is stored anywhere.

Every text-like column of every table and every Redis value is scanned: the only trace of a
shopper's email is its keyed hash.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from lumen.extensions import db
from lumen.models import Conversation
from lumen.queue import get_redis
from lumen.security import email_hash
from tests.widget.conftest import FIXTURES
from tests.widget.proxy import Chat

PHONES = ["+1 (415) 555-0134", "07700 900123", "+44 20 7946 0958"]


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def run_every_kind_of_conversation(proxy) -> None:
    """Each fixture order verified (after a wrong try), followed up, escalated and rated."""
    emails = [fixture["email"] for fixture in FIXTURES["orders"]]
    for number, fixture in enumerate(FIXTURES["orders"]):
        chat = Chat(proxy, ip=f"198.51.100.{number + 1}")
        chat.say(f"Hi, where is my order {fixture['name']}? My phone is {PHONES[number % 3]}")
        chat.say(emails[(number + 1) % len(emails)])
        chat.say(f"  {fixture['email'].upper()}  ")
        chat.say("Can I get the tracking link?")
        chat.say(f"It never arrived, please email me at {fixture['email']} or call "
                 f"{PHONES[(number + 1) % 3]}")
        chat.say("I want to talk to a human")
        chat.feedback("down")
    locked = Chat(proxy, ip="198.51.100.200")
    locked.say("order 1042")
    for email in emails[:4]:
        locked.say(f"{email} is my email")


def stored_text_values() -> list[str]:
    values = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                values.extend(str(value) for value in row if value is not None)
    return values


def redis_values() -> list[str]:
    redis = get_redis()
    values = []
    for key in redis.scan_iter():
        values.append(key.decode())
        if redis.type(key) == b"string":
            values.append(redis.get(key).decode())
    return values


def test_no_email_or_phone_is_stored_in_any_table_or_in_redis(proxy):
    run_every_kind_of_conversation(proxy)
    emails = {fixture["email"].lower() for fixture in FIXTURES["orders"]}
    stored = stored_text_values() + redis_values()
    assert any("[email]" in value for value in stored), "the scan saw no redacted transcript"
    for value in stored:
        lowered = value.lower()
        assert not [email for email in emails if email in lowered], value
        assert not [phone for phone in PHONES if digits(phone) in digits(value)], value


def test_redis_holds_no_shopper_ip_address(proxy):
    run_every_kind_of_conversation(proxy)
    assert not [value for value in redis_values() if "198.51.100." in value]


def test_verified_conversations_carry_only_the_keyed_hash(proxy):
    run_every_kind_of_conversation(proxy)
    hashes = set(db.session.scalars(select(Conversation.customer_hash)))
    expected = {email_hash(fixture["email"]) for fixture in FIXTURES["orders"]}
    assert expected <= hashes
