"""Order facts and answers: everything from Shopify's data, nothing guessed."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime

import pytest

from lumen.conversation.answers import answer, not_received
from lumen.conversation.facts import build_facts, parse_time
from lumen.conversation.replies import Reply, format_date, format_time, safe_link
from tests.conversation.conftest import STORY_NOW, load_orders

ORDERS = load_orders()
QUESTIONS = ("track", "shipped", "tracking_number", "tracking_link", "carrier", "eta", "items",
             "payment", "fulfilled_when")


def facts_of(name: str, **changes):
    order = copy.deepcopy(ORDERS[name])
    order.update(changes)
    return build_facts(order)


@pytest.mark.parametrize(("name", "status", "date"), [
    ("#1019", "delivered", "2026-01-16"),
    ("#1031", "in transit", "2026-02-04"),
    ("#1036", "delivered", "2026-02-16"),
    ("#1039", "fulfilled", "2026-02-15"),
    ("#1042", "in transit", "2026-02-24"),
    ("#1050", "in transit", "2026-02-24"),
    ("#1055", "cancelled", "2026-02-20"),
    ("#1063", "partially fulfilled", "2026-02-23"),
    ("#1077", "confirmed", "2026-02-24"),
    ("#1088", "confirmed", "2026-02-25"),
])
def test_order_status_summary(name, status, date):
    facts = facts_of(name)
    assert facts.status == status
    assert facts.status_date.date().isoformat() == date


def test_packages_of_a_split_shipment():
    facts = facts_of("#1042")
    first, second = facts.packages
    assert [(item.title, item.quantity) for item in first.items] == [("Blue T-Shirt", 2)]
    assert (first.carrier, first.tracking_numbers) == ("USPS", ("9400111899223847561042",))
    assert first.estimated_delivery.date().isoformat() == "2026-02-28"
    assert second.estimated_delivery is None
    assert second.latest_event.message == "Departed FedEx location"
    assert (second.latest_event.city, second.latest_event.country) == (
        "Sacramento", "United States")


def test_missing_fields_stay_missing():
    order = {"id": "gid://shopify/Order/1", "name": "#1", "fulfillments": [{
        "trackingInfo": [{"company": None, "number": None, "url": None}],
        "fulfillmentLineItems": {"nodes": [{"lineItem": {"title": "Mug"}}]}}]}
    facts = build_facts(order)
    assert (facts.payment_status, facts.status_page_url, facts.created_at) == (None, None, None)
    package = facts.packages[0]
    assert (package.carrier, package.tracking_numbers, package.estimated_delivery) == (
        None, (), None)
    assert package.items[0].quantity is None
    assert package.latest_event is None


def test_cancelled_fulfillments_are_not_packages():
    order = copy.deepcopy(ORDERS["#1050"])
    order["fulfillments"][0]["status"] = "CANCELLED"
    assert build_facts(order).packages == ()


def test_unshipped_items_of_a_partial_fulfillment():
    remaining = facts_of("#1063").unshipped_items
    assert [(item.title, item.quantity) for item in remaining] == [("Down Sleeping Bag", 1)]


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-02-20T15:31:08Z", datetime(2026, 2, 20, 15, 31, 8, tzinfo=UTC)),
    ("2026-02-20T15:31:08", datetime(2026, 2, 20, 15, 31, 8, tzinfo=UTC)),
    ("not a date", None), (None, None), (20260220, None), ("", None),
])
def test_parse_time(value, expected):
    assert parse_time(value) == expected


def test_dates_read_like_people_write_them():
    assert format_date(datetime(2026, 2, 20, tzinfo=UTC), STORY_NOW) == "February 20"
    assert format_date(datetime(2025, 12, 3, tzinfo=UTC), STORY_NOW) == "December 3, 2025"
    assert format_time(datetime(2026, 2, 16, 19, 12, tzinfo=UTC)) == "7:12 PM UTC"
    assert format_time(datetime(2026, 2, 16, 0, 5, tzinfo=UTC)) == "12:05 AM UTC"


@pytest.mark.parametrize(("url", "linked"), [
    ("https://tools.usps.com/go/Track?x=1", True), ("http://example.com/t", True),
    ("javascript:alert(1)", False), ("data:text/html,hi", False), ("//evil.example", False),
    ("ftp://example.com/file", False), ("https://", False), ("", False), (None, False),
    ("  HTTPS://example.com/t  ", True),
])
def test_only_http_links_become_links(url, linked):
    assert (safe_link(url, "Track") is not None) is linked


def test_unsafe_tracking_urls_are_never_linked():
    order = copy.deepcopy(ORDERS["#1050"])
    order["fulfillments"][0]["trackingInfo"][0]["url"] = "javascript:alert(document.cookie)"
    order["statusPageUrl"] = "data:text/html,<script>x</script>"
    for question in QUESTIONS:
        reply = answer(question, build_facts(order), STORY_NOW)
        assert all(link.url.startswith("https://") for link in reply.links)
        assert "javascript:" not in reply.text and "data:" not in reply.text


def numbers_dates_and_urls(reply: Reply) -> set[str]:
    """Every digit run and URL a reply contains."""
    text = reply.text + " " + " ".join(link.url for link in reply.links)
    return set(re.findall(r"https?://\S+|\d+", text))


def fact_strings(name: str) -> str:
    """Everything the order JSON holds, flattened, plus its dates as replies write them."""
    order = ORDERS[name]
    found = [str(value) for value in _leaves(order)]
    for value in _leaves(order):
        moment = parse_time(value)
        if moment:
            found += [format_date(moment, STORY_NOW), format_time(moment)]
    return " ".join(found)


def _leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


@pytest.mark.parametrize("name", sorted(ORDERS))
@pytest.mark.parametrize("question", QUESTIONS)
def test_every_number_url_and_date_comes_from_the_order(name, question):
    reply = answer(question, facts_of(name), STORY_NOW)
    source = fact_strings(name)
    invented = {token for token in numbers_dates_and_urls(reply) if token not in source}
    assert not invented, f"{question} on {name} said {invented}"


def test_split_shipment_lists_each_package_like_the_seed():
    text = answer("track", facts_of("#1042"), STORY_NOW).text
    assert text.startswith("Your order #1042 has been shipped in 2 packages.")
    assert "Package 1 (2 × Blue T-Shirt) shipped via USPS" in text
    assert "tracking 9400111899223847561042" in text
    assert "estimated delivery February 28" in text
    assert "Package 2 (Running Shoes) shipped via FedEx" in text
    assert "tracking 789104256318, currently in transit" in text


def test_estimated_delivery_only_when_shopify_has_one():
    reply = answer("eta", facts_of("#1031"), STORY_NOW)
    assert "hasn't given an estimated delivery date" in reply.text
    assert "estimated delivery" not in answer("track", facts_of("#1031"), STORY_NOW).text


def test_a_3pl_order_without_tracking_is_fulfilled_without_details():
    text = answer("track", facts_of("#1039"), STORY_NOW).text
    assert "fulfilled on February 15" in text
    assert "no tracking details" in text
    assert "no tracking information" in answer("tracking_link", facts_of("#1039"), STORY_NOW).text


def test_stale_tracking_reports_the_last_event_and_the_carrier():
    text = answer("track", facts_of("#1031"), STORY_NOW).text
    assert "Departed origin country (San Francisco, United States) on February 10" in text
    assert "no tracking updates since February 10" in text
    assert "check with USPS directly" in text


def test_fresh_tracking_is_not_called_stale():
    assert "no tracking updates" not in answer("track", facts_of("#1050"), STORY_NOW).text


def test_pre_order_explains_what_is_known():
    reply = answer("shipped", facts_of("#1088"), STORY_NOW)
    assert reply.text == (
        "Your order #1088 is confirmed and is being prepared. It hasn't shipped yet, so there's "
        "no tracking information available. If you'd like an estimated shipping date, I can "
        "connect you with our support team.")
    assert reply.offers_help


def test_cancelled_gives_the_date_and_no_reason():
    reply = answer("track", facts_of("#1055"), STORY_NOW)
    assert reply.text.startswith("Your order #1055 was cancelled on February 20.")
    assert "CUSTOMER" not in reply.text and "customer" not in reply.text.lower()
    assert reply.offers_help


def test_payment_status_pending():
    reply = answer("payment", facts_of("#1077"), STORY_NOW)
    assert "The payment status of your order #1077 is: pending." in reply.text


def test_items_with_quantities_and_variants():
    text = answer("items", facts_of("#1042"), STORY_NOW).text
    assert text == "Your order #1042 contains: 2 × Blue T-Shirt (M), Running Shoes (Men's 10 / " \
        "Black)."


def test_delivered_not_received_gives_date_time_and_carrier():
    reply, needs_person = not_received(facts_of("#1036"), STORY_NOW)
    assert needs_person
    assert "delivered on February 16 at 7:12 PM UTC by USPS" in reply.text


def test_not_received_while_in_transit_offers_help_without_a_ticket():
    reply, needs_person = not_received(facts_of("#1050"), STORY_NOW)
    assert not needs_person and reply.offers_help
    assert "is in transit" in reply.text


def test_follow_up_suggestions_fit_the_order():
    assert answer("track", facts_of("#1042"), STORY_NOW).quick_replies == [
        "Tracking link", "When will it arrive?", "Talk to a person"]
    assert "Tracking link" not in answer("track", facts_of("#1039"), STORY_NOW).quick_replies
    assert "Has it shipped?" in answer("items", facts_of("#1077"), STORY_NOW).quick_replies


def test_reply_json_shape():
    reply = answer("tracking_link", facts_of("#1050"), STORY_NOW)
    assert reply.to_dict() == {
        "text": "Here's the tracking link for your order #1050.",
        "links": [{"url": ORDERS["#1050"]["fulfillments"][0]["trackingInfo"][0]["url"],
                   "label": "Track package (USPS)"}],
        "quick_replies": ["Tracking link", "When will it arrive?", "Talk to a person"],
    }
