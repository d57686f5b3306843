"""CSV exports: exactly what the filters show, the contract's columns, safe cells, expiry."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from lumen.extensions import db
from lumen.history import exports
from lumen.history.csv_format import (
    CONVERSATION_COLUMNS,
    MESSAGE_COLUMNS,
    safe_cell,
    transcript_cell,
)
from lumen.jobs.retention import purge_shop
from lumen.models import Export, ExportChunk, ExportStatus, TicketStatus, utcnow
from lumen.outcomes import Outcome

STARTED = datetime(2026, 11, 20, 14, 30, 0, tzinfo=UTC)


def export_csv(admin, shape: str = "conversations", **filters) -> tuple[str, list[list[str]]]:
    """POST an export (jobs run inline in tests), then download it: its raw text and rows."""
    created = admin("/admin/exports", method="POST", data={"shape": shape, **filters})
    assert created.status_code == 202, created.text
    export_id = re.search(r"/admin/exports/(\d+)/download", created.text).group(1)
    download = admin(f"/admin/exports/{export_id}/download", htmx=False)
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert download.headers["Content-Disposition"].startswith("attachment; filename=")
    raw = download.get_data()
    assert int(download.headers["Content-Length"]) == len(raw)
    text = raw.decode("utf-8")
    return text, list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_one_row_per_conversation_with_the_contract_columns(admin, shop, add_conversation):
    add_conversation(shop, started_at=STARTED, outcome=Outcome.ESCALATED,
                     order_names=["#1019", "#1050"], feedback="down", first_reply_ms=812.4,
                     llm_turns=1, ticket=("not_received", TicketStatus.OPEN),
                     messages=[("shopper", "Where is it?\nIt's late"),
                               ("assistant", "Which order?")])
    text, rows = export_csv(admin)
    assert text.startswith("\ufeffconversation_id,started_at,")
    assert "\r\n" in text  # RFC 4180 line ends
    assert tuple(rows[0]) == CONVERSATION_COLUMNS
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["started_at"] == "2026-11-20T14:30:00Z" and row["ended_at"] == "2026-11-20T14:30:02Z"
    assert (row["duration_seconds"], row["outcome"], row["feedback"]) == ("2", "escalated", "down")
    assert (row["order_names"], row["message_count"], row["llm_turns"]) == ("#1019 #1050", "2", "1")
    assert (row["first_reply_ms"], row["ticket_status"], row["escalation_reason"]) == (
        "812", "open", "not_received")
    assert row["sentiment"] == row["sentiment_score"] == ""  # not on the Free plan
    assert row["transcript"] == ("14:30:00 shopper: Where is it? It's late\n"
                                 "14:30:01 assistant: Which order?")


def test_sentiment_columns_on_pro_plus(admin, pro_plus, add_conversation):
    add_conversation(pro_plus, sentiment="negative", sentiment_score=-0.61234)
    _, rows = export_csv(admin)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["sentiment"], row["sentiment_score"]) == ("negative", "-0.6123")


def test_one_row_per_message(admin, shop, add_conversation):
    conversation = add_conversation(shop, started_at=STARTED)
    _, rows = export_csv(admin, shape="messages")
    assert tuple(rows[0]) == MESSAGE_COLUMNS
    assert rows[1:] == [
        [str(conversation.id), "2026-11-20T14:30:00Z", "shopper", "Where is my order?", "", "",
         "false"],
        [str(conversation.id), "2026-11-20T14:30:01Z", "assistant", "Which order?", "track", "12",
         "false"]]


def test_the_export_has_exactly_what_the_filters_show(admin, shop, add_conversation):
    wanted = add_conversation(shop, hours_ago=2, outcome=Outcome.ANSWERED, order_names=["#1042"])
    add_conversation(shop, hours_ago=1, outcome=Outcome.OTHER)
    add_conversation(shop, hours_ago=3, outcome=Outcome.ANSWERED, order_names=["#1050"])
    _, rows = export_csv(admin, outcome="answered", order="1042")
    assert [row[0] for row in rows[1:]] == [str(wanted.id)]
    export = db.session.scalars(select(Export)).one()
    assert export.filters == [["outcome", "answered"], ["order", "1042"]]


@pytest.mark.parametrize("dangerous", ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)",
                                       "\tcmd", "\rcmd", "\ncmd"])
def test_formula_cells_are_prefixed(dangerous):
    assert safe_cell(dangerous) == "'" + dangerous
    assert safe_cell("fine =1") == "fine =1" and safe_cell(-0.5) == "-0.5"


def test_formula_injection_in_a_message_is_neutralised_in_the_file(admin, shop,
                                                                   add_conversation):
    add_conversation(shop, messages=[("shopper", "=cmd|' /C calc'!A0"), ("assistant", "@ok")])
    _, rows = export_csv(admin, shape="messages")
    assert [row[3] for row in rows[1:]] == ["'=cmd|' /C calc'!A0", "'@ok"]


def test_no_email_phone_or_address_reaches_any_cell(admin, shop, add_conversation):
    # Text goes through the same redaction as the transcript writer.
    add_conversation(shop, messages=[
        ("shopper", "I'm maya.chen@example.com, call +1 415 555 0134"),
        ("assistant", "Thanks, checking order #1042.")])
    for shape in ("conversations", "messages"):
        text, _ = export_csv(admin, shape=shape)
        assert "maya.chen@example.com" not in text and "415 555 0134" not in text
        assert "[email]" in text and "[phone]" in text
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text)


def test_a_ready_export_lives_24_hours_or_until_its_oldest_row_expires():
    ready = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    recent = ready - timedelta(days=2)
    assert exports.export_expiry(ready, recent, 90) == ready + timedelta(hours=24)
    oldest = ready - timedelta(days=89, hours=20)
    assert exports.export_expiry(ready, oldest, 90) == oldest + timedelta(days=90)


def test_expired_exports_are_gone_and_swept(admin, shop, add_conversation):
    add_conversation(shop)
    export_csv(admin)
    export = db.session.scalars(select(Export)).one()
    export.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert admin(f"/admin/exports/{export.id}").status_code == 404
    assert admin(f"/admin/exports/{export.id}/download", htmx=False).status_code == 404
    assert exports.sweep_expired_exports() == 1
    assert db.session.scalar(select(func.count()).select_from(ExportChunk)) == 0


def test_retention_deletes_an_export_with_its_rows(admin, shop, add_conversation):
    add_conversation(shop, hours_ago=24 * 10)
    export_csv(admin)
    shop.settings.retention_days = 7
    db.session.commit()
    purge_shop(shop.id)
    assert db.session.scalar(select(func.count()).select_from(Export)) == 0


def test_the_job_is_safe_to_rerun_and_failures_are_shown(admin, shop, add_conversation,
                                                          monkeypatch):
    add_conversation(shop)
    export_csv(admin)
    export = db.session.scalars(select(Export)).one()
    chunks = db.session.scalar(select(func.count()).select_from(ExportChunk))
    assert exports.write_export(export.id) == 0  # already ready: nothing happens
    export.status = ExportStatus.RUNNING
    db.session.commit()
    assert exports.write_export(export.id) == 1  # a retry starts over
    assert db.session.scalar(select(func.count()).select_from(ExportChunk)) == chunks
    monkeypatch.setattr(exports, "CsvBuffer", None)  # any failure while writing
    export.status = ExportStatus.QUEUED
    db.session.commit()
    with pytest.raises(TypeError):
        exports.write_export(export.id)
    db.session.expire_all()
    assert db.session.get(Export, export.id).status is ExportStatus.FAILED
    assert "could not be written" in admin(f"/admin/exports/{export.id}").text


def test_a_large_export_is_written_in_several_chunks(admin, shop, add_conversation,
                                                     monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_BYTES", 200)
    for hours in range(6):
        add_conversation(shop, hours_ago=hours + 1)
    _, rows = export_csv(admin)
    assert len(rows) == 7
    assert db.session.scalar(select(func.count()).select_from(ExportChunk)) > 2


def test_bad_shape_is_refused(admin, shop):
    assert admin("/admin/exports", method="POST", data={"shape": "xlsx"}).status_code == 400


def test_transcript_cell_is_one_line_per_message():
    cell = transcript_cell([(STARTED, "shopper", "a\nb"), (STARTED, "assistant", "c")])
    assert cell == "14:30:00 shopper: a b\n14:30:00 assistant: c"
