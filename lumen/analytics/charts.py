"""What the page's charts draw, as data for Chart.js (static/admin/analytics.js).

Only labels and numbers already in the tables beside each chart; the script draws nothing else.
"""

from __future__ import annotations

from typing import Any

from lumen.analytics.labels import INTENT_LABELS, OUTCOME_LABELS
from lumen.analytics.numbers import SENTIMENTS, Analytics
from lumen.outcomes import Outcome


def chart_data(report: Analytics) -> dict[str, Any]:
    """Per chart id: its labels and datasets ({label, data})."""
    numbers = report.current.contract()
    daily = numbers["daily"]
    charts: dict[str, Any] = {
        "outcomes": {"type": "bar", "labels": [OUTCOME_LABELS[o] for o in Outcome],
                     "datasets": [{"label": "Conversations",
                                   "data": [numbers["outcomes"][o.value] for o in Outcome]}]},
        "daily": {"type": "line", "labels": [day["date"] for day in daily],
                  "datasets": [{"label": label, "data": [day[key] for day in daily]}
                               for key, label in (("conversations", "Conversations"),
                                                  ("answered", "Answered"),
                                                  ("escalated", "Escalated"))]},
        "intents": {"type": "bar", "horizontal": True,
                    "labels": [INTENT_LABELS.get(i, i) for i, _ in numbers["top_intents"]],
                    "datasets": [{"label": "Messages",
                                  "data": [n for _, n in numbers["top_intents"]]}]},
    }
    by_day = report.current.sentiment_by_day()
    if by_day is not None:
        charts["sentiment"] = {
            "type": "bar", "stacked": True, "labels": [day["date"] for day in by_day],
            "datasets": [{"label": label.capitalize(), "data": [day[label] for day in by_day]}
                         for label in SENTIMENTS]}
    return charts
