"""The CSV export's format: the contract's columns, safe cells, and the rows of both shapes.

Written with Python's csv module (RFC 4180 quoting, CRLF line ends) in UTF-8 with a BOM so
Excel reads it. A cell that a spreadsheet would run as a formula is prefixed with `'`
(OWASP "CSV injection"). Only stored, redacted text reaches a cell: the transcripts never
held an email, phone or address, and no other column carries any.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

BOM = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
CONVERSATION_COLUMNS = (
    "conversation_id", "started_at", "ended_at", "duration_seconds", "outcome", "feedback",
    "sentiment", "sentiment_score", "order_names", "message_count", "llm_turns",
    "first_reply_ms", "ticket_status", "escalation_reason", "transcript")
MESSAGE_COLUMNS = ("conversation_id", "created_at", "role", "text", "intent", "latency_ms",
                   "used_llm")


def safe_cell(value: Any) -> str:
    """A cell's text, prefixed with `'` when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)  # a number we computed ("-0.42") is data, never a formula
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def iso_utc(moment: datetime | None) -> str:
    """ISO 8601 in UTC with a `Z` (whole seconds)."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def transcript_cell(messages: Iterable[tuple[datetime, str, str]]) -> str:
    """One line per message, `HH:MM:SS shopper: text` (UTC), newlines inside a message kept
    as spaces so each line is one message."""
    return "\n".join(f"{created.astimezone(UTC):%H:%M:%S} {role}: {' '.join(text.split())}"
                     for created, role, text in messages)


class CsvBuffer:
    """Rows written through csv.writer into a text buffer the caller drains in pieces."""

    def __init__(self, header: Sequence[str]):
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")
        self._buffer.write(BOM)
        self._writer.writerow(header)

    def write(self, cells: Sequence[Any]) -> None:
        """Write one row, every cell made safe."""
        self._writer.writerow([safe_cell(cell) for cell in cells])

    def size(self) -> int:
        """Characters waiting in the buffer."""
        return self._buffer.tell()

    def drain(self) -> bytes:
        """Everything written since the last drain, as UTF-8, and empty the buffer."""
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text.encode("utf-8")
