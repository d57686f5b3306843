"""On real PostgreSQL: the full-text and order-name filters use their PostgreSQL forms, and a
real worker.py process on real Redis writes a CSV export while its progress is committed."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

import pytest
from rq.job import JobStatus
from sqlalchemy import delete, select, text

from lumen.extensions import db
from lumen.history import exports, queries, search
from lumen.history.filters import ConversationFilters
from lumen.models import (
    Conversation,
    Export,
    ExportShape,
    ExportStatus,
    Message,
    Role,
    Shop,
    ShopSettings,
    TicketStatus,
)
from lumen.outcomes import Outcome
from lumen.queue import get_queue
from tests.conftest import running_worker, wait_for

pytestmark = pytest.mark.integration
UTC_ZONE = ZoneInfo("UTC")


@pytest.fixture
def pg_shop(production_app) -> Shop:
    shop = Shop(domain="pg-history.myshopify.com", settings=ShopSettings(),
                iana_timezone="Europe/Berlin")
    db.session.add(shop)
    db.session.commit()
    return shop


def ids(shop, **filters) -> list[int]:
    page = queries.conversation_page(shop, ConversationFilters(**filters), UTC_ZONE)
    return [row.id for row in page.rows]


def test_postgres_text_search_and_order_filter(pg_shop, add_conversation):
    assert search.is_postgresql()
    parcel = add_conversation(pg_shop, hours_ago=3, outcome=Outcome.ESCALATED,
                              order_names=["#1036"], ticket=("not_received", TicketStatus.OPEN),
                              messages=[("shopper", "The parcel never arrived, it says delivered")])
    other = add_conversation(pg_shop, hours_ago=2, order_names=["#10360", "#1042"],
                             messages=[("shopper", "Do you sell gift cards?")])
    assert ids(pg_shop, q="parcel") == [parcel.id]
    assert ids(pg_shop, q="Delivered PARCEL") == [parcel.id]  # all words, any case, any order
    assert ids(pg_shop, q="gift cards") == [other.id]
    assert ids(pg_shop, q="it's 100%") == []  # search syntax is plain text here
    assert ids(pg_shop, order="1036") == [parcel.id]  # exact names, not prefixes
    assert ids(pg_shop, order="#1042") == [other.id]
    assert ids(pg_shop, order="1036", q="parcel", ticket=TicketStatus.OPEN,
               outcomes=(Outcome.ESCALATED,)) == [parcel.id]
    with db.engine.connect() as connection:
        indexes = set(connection.execute(text(
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('messages', 'conversations')"
        )).scalars())
    assert {"ix_conversations_search", "ix_conversations_order_names",
            "ix_conversations_shop_ticket_started", "ix_conversations_shop_started",
            "ix_conversations_shop_outcome_started"} <= indexes


def test_a_real_worker_writes_the_export(pg_shop, add_conversation, tmp_path, postgres_url,
                                         redis_url, monkeypatch):
    for hours in range(30):
        add_conversation(pg_shop, hours_ago=hours + 1, outcome=Outcome.ANSWERED,
                         messages=[("shopper", f"order {hours} =1+1"), ("assistant", "Found it")])
    export = exports.create_export(pg_shop, ConversationFilters(outcomes=(Outcome.ANSWERED,)),
                                   ExportShape.CONVERSATIONS)
    db.session.commit()
    exports.start(export)
    job = get_queue().fetch_job(f"lumen-export-{export.id}")
    assert job.get_status() == JobStatus.QUEUED  # really queued, not run inline
    with running_worker(tmp_path / "worker.log",
                        {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url}):
        wait_for(lambda: _status(export.id) is ExportStatus.READY, timeout=60)
    db.session.expire_all()
    done = db.session.get(Export, export.id)
    assert (done.total, done.done) == (30, 30)
    text_file = b"".join(exports.export_chunks(done)).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text_file.removeprefix("\ufeff"), newline="")))
    assert len(rows) == 31 and all(row[4] == "answered" for row in rows[1:])
    assert "shopper: order 0 =1+1" in rows[1][-1]
    assert job.get_status(refresh=True) == JobStatus.FINISHED


def _status(export_id: int) -> ExportStatus:
    db.session.rollback()  # see the worker's commits
    return db.session.scalar(select(Export.status).where(Export.id == export_id))


def test_a_slow_count_gives_way_to_the_planners_estimate(pg_shop, add_conversation,
                                                         monkeypatch):
    for hours in range(3):
        add_conversation(pg_shop, hours_ago=hours + 1)
    exact = queries.visible_count(pg_shop, ConversationFilters(), UTC_ZONE)
    assert (exact.value, exact.capped, exact.estimated) == (3, False, False)
    counted = queries.capped_count

    def slow_count(*args, **kwargs):
        db.session.execute(text("SELECT pg_sleep(0.5)"))
        return counted(*args, **kwargs)

    monkeypatch.setattr(queries, "capped_count", slow_count)
    estimate = queries.visible_count(pg_shop, ConversationFilters(), UTC_ZONE)
    assert estimate.estimated and estimate.value >= 1
    monkeypatch.setattr(queries, "capped_count", counted)
    monkeypatch.setattr(queries, "COUNT_CAP", 0)  # "a big result": the estimate, uncounted
    assert queries.visible_count(pg_shop, ConversationFilters(), UTC_ZONE).estimated
    # The transaction is usable afterwards, and the time budget is gone again.
    assert db.session.execute(text("SHOW statement_timeout")).scalar() == "0"
    assert len(queries.conversation_page(pg_shop, ConversationFilters(), UTC_ZONE).rows) == 3


@pytest.mark.parametrize(("window", "rare_ids"), [(1000, 0), (1, 20_000), (1, 0)],
                         ids=["newest-window", "ids-from-the-index", "the-document"])
def test_every_text_search_way_pages_the_same_rows(pg_shop, add_conversation, monkeypatch,
                                                   window, rare_ids):
    monkeypatch.setattr(queries, "TEXT_WINDOW", window)
    monkeypatch.setattr(queries, "TEXT_IDS", rare_ids)
    made = [add_conversation(pg_shop, hours_ago=hours + 1, messages=[
        ("shopper", "my parcel is late" if hours % 2 == 0 else "hello again"),
        ("assistant", "Sorry about the delay" if hours % 3 == 0 else "Happy to help")])
        for hours in range(7)]
    expected = [conversation.id for conversation in made if "parcel" in
                conversation.messages[0].text and "delay" in conversation.messages[1].text]
    seen, filters = [], ConversationFilters(q="parcel delay")  # words of two messages
    while True:
        page = queries.conversation_page(pg_shop, filters, UTC_ZONE, page_size=1)
        seen += [row.id for row in page.rows]
        assert page.count.value == 2 or page.count.estimated
        if page.next_cursor is None:
            break
        filters = ConversationFilters(q="parcel delay", after=page.next_cursor)
    assert seen == expected and len(expected) == 2
    assert sorted(search.conversations_mentioning(pg_shop, "parcel", 10)) == sorted(
        conversation.id for conversation in made[::2])
    assert search.conversations_mentioning(pg_shop, "parcel", 3) is None


def test_the_search_document_and_ticket_status_follow_their_rows(pg_shop, add_conversation):
    conversation = add_conversation(pg_shop, hours_ago=1, outcome=Outcome.ESCALATED,
                                    ticket=("frustration", TicketStatus.OPEN),
                                    messages=[("shopper", "where is my parcel")])
    assert ids(pg_shop, q="parcel", ticket=TicketStatus.OPEN) == [conversation.id]
    conversation.messages.append(Message(role=Role.ASSISTANT, text="It left the warehouse"))
    conversation.ticket.status = TicketStatus.CLOSED
    db.session.commit()
    assert ids(pg_shop, q="parcel warehouse", ticket=TicketStatus.CLOSED) == [conversation.id]
    assert ids(pg_shop, ticket=TicketStatus.OPEN) == []
    conversation.messages[0].text = "where is my order"
    db.session.commit()
    assert ids(pg_shop, q="parcel") == []
    assert ids(pg_shop, q="order warehouse") == [conversation.id]
    db.session.delete(conversation.messages[1])
    db.session.delete(conversation.ticket)
    db.session.commit()
    assert ids(pg_shop, q="warehouse") == [] and ids(pg_shop, q="order") == [conversation.id]
    assert ids(pg_shop, ticket=TicketStatus.CLOSED) == []
    add_conversation(pg_shop, hours_ago=2, ticket=("frustration", TicketStatus.OPEN))
    assert len(ids(pg_shop)) == 2
    db.session.execute(delete(Conversation).where(Conversation.shop_id == pg_shop.id))
    db.session.commit()  # the triggers cope with rows their cascade deletes
    assert ids(pg_shop) == [] and ids(pg_shop, ticket=TicketStatus.OPEN) == []
