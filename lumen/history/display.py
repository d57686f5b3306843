"""How the history pages write times, durations and transcript lines (template helpers)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import request

from lumen.admin.rendering import CARRIED_PARAMETERS, admin_url

# The transcript writer puts each reply's links on their own lines as "Label: URL".
_LINK_LINE = re.compile(r"(?P<label>[^\n]{1,120}?): (?P<url>https?://\S+)")
REASON_LABELS = {"human_requested": "Asked for a person",
                 "out_of_scope": "Outside what Lumen handles",
                 "not_received": "Parcel not received", "frustration": "Frustrated shopper",
                 "verification_locked": "Verification locked"}


@dataclass(frozen=True)
class Line:
    """One line of a stored message: plain text, or a link the shopper was shown."""

    text: str
    url: str | None = None


def message_lines(text: str) -> list[Line]:
    """A stored (redacted) message split into lines, its link lines recognised as links."""
    lines = []
    for raw in text.split("\n"):
        match = _LINK_LINE.fullmatch(raw)
        lines.append(Line(match["label"], match["url"]) if match else Line(raw))
    return lines


def local(moment: datetime | None, zone: ZoneInfo, pattern: str = "%b %d, %H:%M") -> str:
    """A UTC moment written in the shop's time zone."""
    return moment.astimezone(zone).strftime(pattern) if moment else "—"


def duration(seconds: int | float | None) -> str:
    """Seconds as "45 s", "3 min 05 s" or "1 h 02 min"."""
    if seconds is None:
        return "—"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def list_url(pairs: list[tuple[str, str]]) -> str:
    """The Conversations list URL for these query parameters (Shopify's kept)."""
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return admin_url("admin.conversations", **grouped)


def transcript_links() -> Callable[[int], str]:
    """A fast ``id -> transcript URL`` for list rows (url_for once, not fifty times a page)."""
    sample = admin_url("admin.transcript", conversation_id=0)
    path, _, query = sample.partition("?")
    prefix = path.removesuffix("/0") + "/"
    suffix = f"?{query}" if query else ""
    return lambda conversation_id: f"{prefix}{conversation_id}{suffix}"


def carried_parameters() -> list[tuple[str, str]]:
    """Shopify's parameters of this request, for a GET form's hidden fields."""
    return [(name, request.args[name]) for name in CARRIED_PARAMETERS if name in request.args]


def helpers(zone: ZoneInfo) -> dict[str, object]:
    """What the history templates call: times in ``zone``, durations, lines, reason labels."""
    return {"zone": zone, "local": lambda moment, pattern="%b %d, %H:%M": local(
        moment, zone, pattern), "duration": duration, "message_lines": message_lines,
        "reason_labels": REASON_LABELS, "list_url": list_url,
        "carried_parameters": carried_parameters, "transcript_links": transcript_links}
