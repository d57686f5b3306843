"""The Conversations list: every filter, combined, in the URL; keyset pages; the count."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lumen.history import queries
from lumen.models import TicketStatus
from lumen.outcomes import Outcome

NEW_YORK = ZoneInfo("America/New_York")  # the development store's default time zone


def ids_on(page: str) -> list[int]:
    """Conversation ids linked from a list page, in order."""
    return [int(match) for match in re.findall(r'href="/admin/conversations/(\d+)"', page)]


def listing(admin, query: str = "") -> str:
    return admin(f"/admin/conversations{query}", headers={"HX-Target": "conversation-list"}).text


def test_newest_first_with_the_columns_merchants_need(admin, shop, add_conversation):
    older = add_conversation(shop, hours_ago=5, outcome=Outcome.ANSWERED, order_names=["#1042"],
                             feedback="up", sentiment="positive")
    newer = add_conversation(shop, hours_ago=1, outcome=Outcome.ESCALATED,
                             ticket=("not_received", TicketStatus.OPEN), llm_turns=2)
    page = admin("/admin/conversations").text
    assert ids_on(page) == [newer.id, older.id]
    assert ">Escalated</span>" in page and ">Answered</span>" in page
    assert "#1042" in page and "▲ Up" in page and ">Open</a>" in page
    assert "<td>Yes</td>" in page  # Gemini was used in the newer one
    assert "<strong>2</strong> conversations" in page
    assert "America/New_York" in page


def test_empty_states_say_what_to_do(admin, shop, add_conversation):
    assert "No conversations yet" in admin("/admin/conversations").text
    add_conversation(shop, outcome=Outcome.OTHER)
    filtered = admin("/admin/conversations?outcome=escalated").text
    assert "No conversations match these filters" in filtered and "Clear filters" in filtered


@pytest.mark.parametrize(("query", "expected"), [
    ("?outcome=answered", ["answered"]),
    ("?outcome=answered&outcome=unanswered", ["unanswered", "answered"]),
    ("?ticket=open", ["escalated"]),
    ("?ticket=closed", ["closed"]),
    ("?feedback=down", ["unanswered"]),
    ("?feedback=up", ["answered"]),
    ("?order=1042", ["answered"]),
    ("?order=%231042", ["answered"]),
    ("?order=1050", ["unanswered"]),
    ("?q=parcel", ["escalated"]),
    ("?q=PARCEL+never", ["escalated"]),
    ("?q=100%25", ["other"]),  # LIKE wildcards are searched for, not obeyed
    ("?q=nothing-like-this", []),
    ("?outcome=answered&order=1050", []),
    ("?outcome=escalated&ticket=open&q=parcel", ["escalated"]),
])
def test_each_filter_and_combinations(admin, shop, add_conversation, query, expected):
    made = {
        "answered": add_conversation(shop, hours_ago=5, outcome=Outcome.ANSWERED,
                                     order_names=["#1042"], feedback="up"),
        "unanswered": add_conversation(shop, hours_ago=4, outcome=Outcome.UNANSWERED,
                                       order_names=["#1050"], feedback="down"),
        "escalated": add_conversation(shop, hours_ago=3, outcome=Outcome.ESCALATED,
                                      messages=[("shopper", "My parcel never came")],
                                      ticket=("not_received", TicketStatus.OPEN)),
        "closed": add_conversation(shop, hours_ago=2, outcome=Outcome.ESCALATED,
                                   ticket=("human_requested", TicketStatus.CLOSED)),
        "other": add_conversation(shop, hours_ago=1, messages=[("shopper", "Is it 100% wool?")]),
    }
    by_id = {conversation.id: name for name, conversation in made.items()}
    names = [by_id[conversation_id] for conversation_id in ids_on(listing(admin, query))]
    assert names == expected  # newest first


def test_dates_are_whole_days_in_the_shops_time_zone(admin, shop, add_conversation):
    # 03:30 UTC on Nov 10 is still Nov 9 in New York (UTC-5).
    late_evening = add_conversation(shop, started_at=datetime(2026, 11, 10, 3, 30, tzinfo=UTC))
    next_morning = add_conversation(shop, started_at=datetime(2026, 11, 10, 14, 0, tzinfo=UTC))
    assert ids_on(listing(admin, "?from=2026-11-09&to=2026-11-09")) == [late_evening.id]
    assert ids_on(listing(admin, "?from=2026-11-10&to=2026-11-10")) == [next_morning.id]
    assert ids_on(listing(admin, "?from=2026-11-10")) == [next_morning.id]
    assert ids_on(listing(admin, "?to=2026-11-09")) == [late_evening.id]
    assert ids_on(listing(admin, "?from=2026-11-09&to=2026-11-10")) == [
        next_morning.id, late_evening.id]


def test_sentiment_is_a_pro_plus_filter(admin, shop, add_conversation):
    add_conversation(shop, sentiment="negative")
    refused = admin("/admin/conversations?sentiment=negative")
    assert refused.status_code == 403 and "Pro+" in refused.text
    assert "Sentiment</th>" not in admin("/admin/conversations").text


def test_sentiment_filter_on_pro_plus(admin, pro_plus, add_conversation):
    negative = add_conversation(pro_plus, hours_ago=2, sentiment="negative")
    add_conversation(pro_plus, hours_ago=1, sentiment="positive")
    assert ids_on(listing(admin, "?sentiment=negative")) == [negative.id]
    assert "Sentiment</th>" in admin("/admin/conversations").text


@pytest.mark.parametrize("query", [
    "?from=2026-13-01", "?to=yesterday", "?from=2026-11-10&to=2026-11-01", "?outcome=resolved",
    "?ticket=pending", "?feedback=meh", "?order=1042%20OR%201", "?after=not-a-cursor",
    "?q=" + "x" * 101])
def test_invalid_filters_are_refused_with_400(admin, shop, query):
    response = admin(f"/admin/conversations{query}")
    assert response.status_code == 400 and "Bad Request" in response.text


def test_the_filter_form_updates_only_the_list_and_pushes_the_url(admin, shop,
                                                                   add_conversation):
    add_conversation(shop, outcome=Outcome.ANSWERED)
    fragment = admin("/admin/conversations?outcome=answered",
                     headers={"HX-Target": "conversation-list"})
    assert 'id="conversation-filters"' not in fragment.text and "<html" not in fragment.text
    assert "conversation" in fragment.text and "HX-Target" in fragment.headers["Vary"]
    page = admin("/admin/conversations?outcome=answered").text
    assert 'hx-push-url="true"' in page and 'hx-target="#conversation-list"' in page
    assert re.search(r'value="answered" checked', page), "the form shows the URL's filters"


def test_keyset_pages_cover_every_row_once(admin, shop, add_conversation, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 3)
    # Seven rows, two pairs starting at the very same moment (the id breaks the tie).
    moment = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    made = [add_conversation(shop, started_at=moment - timedelta(minutes=minutes))
            for minutes in (0, 0, 1, 2, 2, 3, 4)]
    seen, query, pages = [], "", 0
    while True:
        page = listing(admin, query)
        seen += ids_on(page)
        pages += 1
        assert "<strong>7</strong> conversations" in page
        older = re.search(r'rel="next" href="([^"]+)"', page)
        if not older:
            break
        query = "?" + older.group(1).split("?", 1)[1].replace("&amp;", "&")
    expected = sorted(made, key=lambda c: (c.started_at, c.id), reverse=True)
    assert seen == [c.id for c in expected] and pages == 3


@pytest.mark.parametrize(("rows", "pages"), [(0, 1), (1, 1), (3, 1), (4, 2), (6, 2), (7, 3)])
def test_page_boundaries(shop, add_conversation, monkeypatch, rows, pages):
    from lumen.history.filters import ConversationFilters

    for minutes in range(rows):
        add_conversation(shop, hours_ago=minutes / 60 + 0.1)
    filters, seen, count = ConversationFilters(), [], 0
    while True:
        page = queries.conversation_page(shop, filters, NEW_YORK, page_size=3)
        seen += [row.id for row in page.rows]
        count += 1
        if page.next_cursor is None:
            break
        filters = ConversationFilters(after=page.next_cursor)
    assert (len(seen), len(set(seen)), count) == (rows, rows, pages)


def test_the_count_is_capped_to_stay_cheap(shop, add_conversation):
    from lumen.history.filters import ConversationFilters

    for hours in range(4):
        add_conversation(shop, hours_ago=hours + 1)
    assert queries.capped_count(shop, ConversationFilters(), NEW_YORK, cap=3) == (3, True)
    assert queries.capped_count(shop, ConversationFilters(), NEW_YORK, cap=4) == (4, False)


def test_an_estimated_count_says_so(admin, shop, add_conversation, monkeypatch):
    for hours in range(3):
        add_conversation(shop, hours_ago=hours + 1)
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)  # more than a page: the count is asked for
    monkeypatch.setattr(queries, "visible_count",
                        lambda *args: queries.MatchCount(120_000, estimated=True))
    text = listing(admin)
    assert "about <strong>120,000</strong> conversations" in text
    assert "estimate: counted exactly only up to 1,000" in text
    monkeypatch.setattr(queries, "visible_count", lambda *args: queries.MatchCount(1000, True))
    assert "<strong>1,000+</strong> conversations" in listing(admin)
    assert "estimate" not in listing(admin)


def test_only_the_shops_own_conversations(admin, shop, other_shop, add_conversation):
    mine = add_conversation(shop)
    add_conversation(other_shop, order_names=["#1042"])
    assert ids_on(admin("/admin/conversations").text) == [mine.id]
    assert ids_on(listing(admin, "?order=1042")) == []


def test_date_range_helper_is_inclusive_in_local_days():
    from lumen.history.filters import ConversationFilters

    start, end = ConversationFilters(date_from=date(2026, 3, 8),
                                     date_to=date(2026, 3, 8)).utc_range(NEW_YORK)
    # The day daylight saving starts in New York is 23 hours long.
    assert (start.isoformat(), end - start) == ("2026-03-08T05:00:00+00:00", timedelta(hours=23))
