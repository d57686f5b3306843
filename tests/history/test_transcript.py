"""The transcript view: every message as stored, in shop time, with links, intent and latency."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from lumen.auth.tokens import TRANSPORT_EXTENSION
from lumen.extensions import db
from lumen.history.timezone import shop_zone
from lumen.models import TicketStatus
from lumen.outcomes import Outcome

ANSWER = ("Your order #1019 was delivered on Jan 16.\nTrack your package: "
          "https://www.ups.com/track?tracknum=1Z999")


def test_every_message_with_time_author_links_intent_and_latency(admin, shop, add_conversation):
    conversation = add_conversation(
        shop, started_at=datetime(2026, 11, 10, 15, 4, 5, tzinfo=UTC), outcome=Outcome.CONFIRMED,
        order_names=["#1019"], feedback="up",
        messages=[("shopper", "order 1019 [email]"), ("assistant", ANSWER),
                  ("shopper", "thanks!")])
    page = admin(f"/admin/conversations/{conversation.id}").text
    assert page.index("order 1019 [email]") < page.index("was delivered") < page.index("thanks!")
    assert "10:04:05" in page and "10:04:06" in page  # New York time (UTC-5)
    assert ('<a href="https://www.ups.com/track?tracknum=1Z999" target="_blank" '
            'rel="noopener noreferrer nofollow">Track your package</a>') in page
    assert "track · 12 ms" in page
    assert ">Confirmed</span>" in page and "Thumbs up" in page and "#1019" in page
    assert "No ticket" in page


def test_the_ticket_is_on_the_transcript(admin, shop, add_conversation):
    conversation = add_conversation(shop, outcome=Outcome.ESCALATED,
                                    ticket=("not_received", TicketStatus.OPEN))
    page = admin(f"/admin/conversations/{conversation.id}").text
    assert "Parcel not received" in page and "Close ticket" in page
    assert 'id="ticket"' in page


def test_text_is_escaped_exactly_as_stored(admin, shop, add_conversation):
    conversation = add_conversation(shop, messages=[("shopper", "<script>alert(1)</script>")])
    page = admin(f"/admin/conversations/{conversation.id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_unknown_id_is_not_found(admin, shop):
    assert admin("/admin/conversations/999999").status_code == 404


def test_the_time_zone_comes_from_shopify_and_is_cached(admin, shop, embedded_app):
    assert shop_zone(shop).key == "America/New_York"
    assert shop.iana_timezone == "America/New_York" and shop.timezone_checked_at is not None
    db.session.commit()
    calls = []
    embedded_app.extensions[TRANSPORT_EXTENSION] = httpx.MockTransport(
        lambda request: calls.append(request) or httpx.Response(500))
    assert shop_zone(shop).key == "America/New_York" and calls == []


@pytest.mark.parametrize("store_fixtures", [{"iana_timezone": "Asia/Tokyo"}], indirect=True)
def test_the_store_zone_is_the_one_the_store_answers(admin, shop):
    assert shop_zone(shop).key == "Asia/Tokyo"


def test_shopify_down_falls_back_to_utc_and_retries_later(admin, shop, embedded_app):
    shop.iana_timezone, shop.timezone_checked_at = None, None
    db.session.commit()
    embedded_app.extensions[TRANSPORT_EXTENSION] = httpx.MockTransport(
        lambda request: httpx.Response(503))
    assert shop_zone(shop).key == "UTC"
    assert admin("/admin/conversations").status_code == 200
