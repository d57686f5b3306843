"""After a realistic run of conversations, nothing personal is left in the database or logs."""

from __future__ import annotations

import json
import logging
import re

from sqlalchemy import select, text

from lumen.extensions import db
from lumen.jobs.privacy import export_customer_data
from lumen.models import Conversation
from lumen.privacy import data_request_export
from lumen.security import email_hash
from tests.widget.conftest import order
from tests.widget.proxy import Chat

EMAIL = "jordan.reyes@example.com"
STATUS_PAGE = order("#1019")["statusPageUrl"]
# What shoppers type, each with the traces of it that must not be stored or logged.
SAID = [
    ("hi, where is my order?", ()),
    ("order 1019", ()),
    (EMAIL, ("jordan.reyes",)),
    ("has it shipped?", ()),
    ("my other address is jordan (at) example (dot) com", ("jordan (at)",)),
    ("or jordan at example dot com, or ｊｏｒｄａｎ＠ｅｘａｍｐｌｅ．ｃｏｍ",
     ("jordan at", "ｊｏｒｄａｎ")),
    ("also j.reyes @ example . com and jo\u200breyes@example.com", ("j.reyes", "jo\u200breyes",
                                                                   "joreyes")),
    ("call me on +1 (415) 555-0134 or 415.555.0199", ("4155550134", "4155550199")),
    ("please deliver to 221B Baker Street, London NW1 6XE instead", ("Baker", "NW1 6XE")),
    ("or Hauptstraße 5, 10115 Berlin", ("Hauptstraße", "10115")),
    (f"this link shows my address: {STATUS_PAGE}", ()),
    ("order (415) 5550123", ("5550123",)),
    ("I want to talk to a person", ()),
]
SECRETS = ("authenticate", "key=", STATUS_PAGE.split("/orders/")[1].split("/")[0],
           STATUS_PAGE.split("key=")[1], EMAIL, "example.com", "example (dot)", "example dot")


def everything_stored() -> str:
    """Every row of every table, as text."""
    db.session.expire_all()
    rows = []
    for table in db.metadata.sorted_tables:
        rows += [json.dumps([str(value) for value in row], ensure_ascii=False)
                 for row in db.session.execute(text(f"SELECT * FROM {table.name}"))]
    return "\n".join(rows)


def traces(haystack: str) -> list[str]:
    """The personal data from SAID and SECRETS still found in ``haystack``."""
    digits_only = re.sub(r"[\s().\-]", "", haystack)
    found = [secret for secret in SECRETS if secret.lower() in haystack.lower()]
    for _, gone in SAID:
        found += [trace for trace in gone if trace in haystack
                  or (trace.isdigit() and trace in digits_only)]
    return found


def test_a_realistic_run_leaves_no_email_phone_key_or_address_behind(proxy, shop, caplog):
    caplog.set_level(logging.DEBUG)
    chat = Chat(proxy)
    shown = [chat.say(message) for message, _ in SAID]
    # The shopper saw the live links; the "not found" reply did not echo the phone fragment.
    assert any(STATUS_PAGE in reply for reply in shown)
    assert "5550123" not in shown[-2] and "with that number" in shown[-2]
    db.session.commit()
    request_id = export_customer_data(shop.domain, "gdpr-1", email_hash(EMAIL), [])
    export = data_request_export(shop, request_id)
    conversation = db.session.scalars(select(Conversation)).one()
    assert len(conversation.messages) == 2 * len(SAID)
    stored = everything_stored()
    assert "[email]" in stored and "[phone]" in stored and "[address]" in stored
    assert "[order status page]" in stored
    assert traces(stored) == []
    assert traces(json.dumps(export, ensure_ascii=False)) == []
    assert traces(caplog.text) == []
