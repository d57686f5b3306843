"""CSV exports: create one for the list's filters, write it in an RQ job, serve it, expire it.

Where the file lives: in the database, as compressed chunks (ExportChunk), so any web node can
serve the download without a shared disk, and deleting the Export row deletes the file. It is
readable for 24 hours after it is ready, never past the retention of its oldest conversation,
and the hourly sweep (lumen.schedule) deletes it for good.

The job streams rows from a server-side cursor on its own connection (PostgreSQL) and writes
each ~1 MB piece as it fills, committing progress that the export's page polls; memory stays
flat whatever the size. On SQLite (the embedded default, jobs inline) the same code reads and
writes on the session's one connection and commits once at the end.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, delete, func, or_, select
from werkzeug.datastructures import MultiDict

from lumen import plans
from lumen.extensions import db
from lumen.history import queries
from lumen.history.csv_format import (
    CONVERSATION_COLUMNS,
    MESSAGE_COLUMNS,
    CsvBuffer,
    iso_utc,
    transcript_cell,
)
from lumen.history.filters import ConversationFilters
from lumen.history.search import is_postgresql
from lumen.models import (
    Conversation,
    Export,
    ExportChunk,
    ExportShape,
    ExportStatus,
    Message,
    Shop,
    Ticket,
    utcnow,
)
from lumen.queue import enqueue
from lumen.retention import retention_days
from lumen.shops import cached_zone

KEEP_FOR = timedelta(hours=24)
CHUNK_BYTES = 1 << 20
FETCH_ROWS = 2000
JOB_TIMEOUT = 1800


def create_export(shop: Shop, filters: ConversationFilters, shape: ExportShape) -> Export:
    """A queued export of what ``filters`` show (the caller commits, then calls start)."""
    export = Export(shop_id=shop.id, shape=shape, filters=filters.query(after=None),
                    status=ExportStatus.QUEUED, done=0, size_bytes=0,
                    expires_at=utcnow() + KEEP_FOR)
    db.session.add(export)
    db.session.flush()
    return export


def start(export: Export) -> None:
    """Enqueue the export's job (after the commit: a worker must see the row)."""
    enqueue(write_export, export.id, timeout=JOB_TIMEOUT, retries=2,
            job_id=f"lumen-export-{export.id}")


def shop_export(shop: Shop, export_id: int) -> Export | None:
    """The shop's export with this id while it may be read, else None."""
    return db.session.scalar(select(Export).where(
        Export.id == export_id, Export.shop_id == shop.id, Export.expires_at > utcnow()))


def write_export(export_id: int) -> int:
    """RQ job: write the export's CSV; safe to re-run (starts over); return its row count."""
    export = db.session.get(Export, export_id)
    if export is None or export.status is ExportStatus.READY:
        return 0
    shop = db.session.get(Shop, export.shop_id)
    try:
        rows = _write(export, shop)
    except Exception:
        db.session.rollback()
        _mark_failed(export_id)
        raise
    return rows


def _write(export: Export, shop: Shop) -> int:
    filters = ConversationFilters.parse(MultiDict(export.filters), shop)
    zone = cached_zone(shop)
    _begin(export, shop, filters, zone)
    sink = _ChunkSink(export)
    buffer = CsvBuffer(CONVERSATION_COLUMNS if export.shape is ExportShape.CONVERSATIONS
                       else MESSAGE_COLUMNS)
    rows = 0
    with _reader() as connection:
        for rows, cells in enumerate(_rows(connection, export.shape, shop, filters, zone), 1):
            buffer.write(cells)
            if buffer.size() >= CHUNK_BYTES:
                sink.add(buffer.drain(), done=rows)
        sink.add(buffer.drain(), done=rows)
    _finish(export, shop, rows, sink)
    return rows


def _begin(export: Export, shop: Shop, filters: ConversationFilters, zone) -> None:
    db.session.execute(delete(ExportChunk).where(ExportChunk.export_id == export.id))
    matching = queries.filtered(shop, filters, zone, Conversation.started_at,
                                Conversation.message_count).subquery()
    count = (func.count() if export.shape is ExportShape.CONVERSATIONS
             else func.coalesce(func.sum(matching.c.message_count), 0))
    total, oldest = db.session.execute(
        select(count, func.min(matching.c.started_at)).select_from(matching)).one()
    export.status, export.done, export.size_bytes = ExportStatus.RUNNING, 0, 0
    # min() over a subquery comes back as text on SQLite; the row's own type reads it right.
    export.total, export.oldest_started_at = int(total), _as_moment(oldest)
    export.error = None
    _commit_progress()


def _finish(export: Export, shop: Shop, rows: int, sink: _ChunkSink) -> None:
    now = utcnow()
    export.status, export.ready_at, export.done = ExportStatus.READY, now, rows
    export.size_bytes = sink.size
    export.expires_at = export_expiry(now, export.oldest_started_at,
                                      retention_days(shop, _default_retention()))
    db.session.commit()


def export_expiry(ready_at: datetime, oldest_started_at: datetime | None,
                  retention: int) -> datetime:
    """When a ready export goes: 24 hours on, or sooner when its oldest row expires."""
    expiry = ready_at + KEEP_FOR
    if oldest_started_at is not None:
        expiry = min(expiry, oldest_started_at + timedelta(days=retention))
    return expiry


def _default_retention() -> int:
    from flask import current_app

    return current_app.config["LUMEN_RETENTION_DAYS"]


def _mark_failed(export_id: int) -> None:
    export = db.session.get(Export, export_id)
    if export is not None:
        export.status, export.error = ExportStatus.FAILED, "The export could not be written."
        db.session.commit()


def _commit_progress() -> None:
    # PostgreSQL: the page polling progress sees each commit. SQLite shares one connection
    # between the reader and the writer, so it commits once, at the end.
    if is_postgresql():
        db.session.commit()
    else:
        db.session.flush()


@contextmanager
def _reader() -> Iterator[Connection]:
    if not is_postgresql():
        yield db.session.connection()
        return
    with db.engine.connect() as connection:
        yield connection.execution_options(stream_results=True, yield_per=FETCH_ROWS)


class _ChunkSink:
    """Appends compressed pieces of the file to the export, recording progress."""

    def __init__(self, export: Export):
        self.export = export
        self.seq = 0
        self.size = 0

    def add(self, data: bytes, done: int) -> None:
        """Store one piece (if any) and the rows written so far."""
        if data:
            db.session.add(ExportChunk(export_id=self.export.id, seq=self.seq,
                                       data=zlib.compress(data, 6)))
            self.seq += 1
            self.size += len(data)
        self.export.done, self.export.size_bytes = done, self.size
        _commit_progress()


def _rows(connection: Connection, shape: ExportShape, shop: Shop,
          filters: ConversationFilters, zone) -> Iterator[list[Any]]:
    if shape is ExportShape.MESSAGES:
        query = queries.filtered(shop, filters, zone, *_MESSAGE_FIELDS).join(
            Message, Message.conversation_id == Conversation.id)
        for row in connection.execute(query.order_by(*_NEWEST, Message.id)):
            yield [row.conversation_id, iso_utc(row.created_at), row.role, row.text, row.intent,
                   _rounded(row.latency_ms), bool(row.used_llm)]
        return
    with_sentiment = plans.may_use(shop, "sentiment_analytics")
    query = queries.filtered(shop, filters, zone, *_CONVERSATION_FIELDS).outerjoin(
        Message, Message.conversation_id == Conversation.id)
    result = connection.execute(query.order_by(*_NEWEST, Message.id))
    for _id, group in groupby(result, key=lambda row: row.id):
        yield _conversation_cells(list(group), with_sentiment)


_NEWEST = (Conversation.started_at.desc(), Conversation.id.desc())
_MESSAGE_FIELDS = (Conversation.id.label("conversation_id"), Message.created_at, Message.role,
                   Message.text, Message.intent, Message.latency_ms, Message.used_llm)
_CONVERSATION_FIELDS = (
    Conversation.id, Conversation.started_at, Conversation.ended_at, Conversation.outcome,
    Conversation.feedback, Conversation.sentiment, Conversation.sentiment_score,
    Conversation.order_names, Conversation.message_count, Conversation.llm_turns,
    Conversation.first_reply_ms, Ticket.status.label("ticket_status"),
    Ticket.reason.label("ticket_reason"), Message.created_at.label("message_at"),
    Message.role, Message.text)


def _conversation_cells(group: list[Any], with_sentiment: bool) -> list[Any]:
    first = group[0]
    duration = (round((first.ended_at - first.started_at).total_seconds())
                if first.ended_at else None)
    messages = [(row.message_at, str(row.role), row.text) for row in group
                if row.message_at is not None]
    score = first.sentiment_score if with_sentiment else None
    return [first.id, iso_utc(first.started_at), iso_utc(first.ended_at), duration,
            str(first.outcome), first.feedback.value if first.feedback else None,
            first.sentiment if with_sentiment else None,
            round(score, 4) if score is not None else None,
            " ".join(first.order_names or []), first.message_count, first.llm_turns or 0,
            _rounded(first.first_reply_ms), first.ticket_status.value if first.ticket_status
            else None, first.ticket_reason, transcript_cell(messages)]


def _as_moment(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value.replace(tzinfo=value.tzinfo or UTC) if value else None
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _rounded(value: float | None) -> int | None:
    return round(value) if value is not None else None


def export_chunks(export: Export) -> Iterator[bytes]:
    """The export's file, piece by piece (one chunk in memory at a time)."""
    seqs = list(db.session.scalars(select(ExportChunk.seq).where(
        ExportChunk.export_id == export.id).order_by(ExportChunk.seq)))
    for seq in seqs:
        data = db.session.scalar(select(ExportChunk.data).where(
            ExportChunk.export_id == export.id, ExportChunk.seq == seq))
        yield zlib.decompress(data)


def purge_expired_exports(shop: Shop, retention_cutoff: datetime | None = None) -> int:
    """Delete the shop's exports past their expiry, or holding rows older than the cutoff."""
    expired = Export.expires_at <= utcnow()
    if retention_cutoff is not None:
        expired = or_(expired, Export.oldest_started_at < retention_cutoff)
    result = db.session.execute(delete(Export).where(Export.shop_id == shop.id, expired))
    return result.rowcount


def sweep_expired_exports() -> int:
    """RQ job (hourly): delete every shop's exports past their expiry; return how many."""
    deleted = db.session.execute(delete(Export).where(Export.expires_at <= utcnow())).rowcount
    db.session.commit()
    return deleted
