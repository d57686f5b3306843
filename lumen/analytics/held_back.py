""""Rewrites held back": Gemini replies that code refused to show (the template went instead).

Until the brand-voice guard counts them per shop and date, the only record is lumen.llm.events'
server-wide counter (every ``rejected:voice:<rule>`` event of the last 30 days), so the page says
exactly that beside the number.
"""

from __future__ import annotations

from lumen.analytics.period import Period
from lumen.llm import events
from lumen.models import Shop

VOICE_REJECTION = "rejected:voice:"
HELD_BACK_SCOPE = (" — counted today for this whole Lumen server over the last 30 days, "
                   "not yet per store or per date range")


def rewrites_held_back(_shop: Shop, _period: Period) -> int:
    """Brand-voice rewrites refused by the guard, as lumen.llm.events records them today."""
    return sum(count for key, count in events.counts().items()
               if key.startswith(VOICE_REJECTION))
