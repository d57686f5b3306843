"""Who gets alerts, and the timing rules every part of an alert follows."""

from __future__ import annotations

from datetime import timedelta

from lumen import plans
from lumen.models import Shop

ALERT_TIMEOUT = 60
# Temporary SMTP failures (4xx, refused connections) back off: 10 s, 1 min, 5 min, 15 min.
RETRY_INTERVALS = [10, 60, 300, 900]
# A ticket alerts at most once an hour; a new reason inside the hour waits for its end.
QUIET_PERIOD = timedelta(hours=1)


def alert_address(shop: Shop | None) -> str | None:
    """Where the shop's alerts go: its escalation email, on a plan that includes alerts."""
    settings = shop.settings if shop is not None else None
    if settings is None or not settings.escalation_email:
        return None
    return settings.escalation_email if plans.may_use(shop, "escalation_email") else None
