""""Rewrites held back": Gemini replies that code refused to show (the template went instead).

The brand-voice guard counts them per shop and UTC hour (``lumen.llm.events``), so the range's
bounds are the shop-local midnights rounded to the hour, which the page says beside the number.
"""

from __future__ import annotations

from lumen.analytics.period import Period
from lumen.llm import events
from lumen.models import Shop

HELD_BACK_SCOPE = " (counted per hour: in zones with a half-hour offset the range's ends round)"


def rewrites_held_back(shop: Shop, period: Period) -> int:
    """Brand-voice rewrites the guard refused for this shop within the period."""
    return events.held_back_rewrites(shop.id, period.start_utc, period.end_utc)
