"""The analytics page and its JSON, registered on the admin blueprint (behind its gate).

Both parse the range the same way and render the one result of `report.shop_analytics`.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Response, g, jsonify, request

from lumen import plans
from lumen.admin import bp
from lumen.admin.rendering import render_page

# Imported with the admin, so in every process that creates the app: the rollup's flush and
# bulk-delete listeners (which keep it exact) and SQLite's local-time function are registered
# before the first database connection.
from lumen.analytics import labels, rollup, sql  # noqa: F401
from lumen.analytics.charts import chart_data
from lumen.analytics.held_back import HELD_BACK_SCOPE, rewrites_held_back
from lumen.analytics.numbers import Analytics
from lumen.analytics.period import Period, parse_period
from lumen.analytics.report import shop_analytics
from lumen.extensions import db
from lumen.history.timezone import shop_zone
from lumen.models import utcnow

SENTIMENT_FEATURE = "sentiment_analytics"
PRESET_DAYS = (7, 30, 90)




def analytics_page() -> Response:
    """The range's numbers with charts (each with its table), beside the previous range's."""
    period = _period()
    report = _analytics(period)
    db.session.commit()  # the shop's time zone, if it was just read from Shopify
    presets = [(days, (period.last - timedelta(days=days - 1)).isoformat())
               for days in PRESET_DAYS]
    return render_page("analytics", report=report, numbers=report.as_json(), period=period,
                       charts=chart_data(report), presets=presets,
                       held_back=rewrites_held_back(g.shop, period),
                       held_back_scope=HELD_BACK_SCOPE,
                       may_sentiment=plans.may_use(g.shop, SENTIMENT_FEATURE),
                       sentiment_plan=plans.required_plan_name(SENTIMENT_FEATURE),
                       outcome_labels=labels.OUTCOME_LABELS, intent_labels=labels.INTENT_LABELS,
                       reason_labels=labels.REASON_LABELS,
                       situation_labels=labels.SITUATION_LABELS, weekdays=labels.WEEKDAYS)


def analytics_json() -> Response:
    """The same numbers as JSON (ARCHITECTURE.md's shape)."""
    numbers = _analytics(_period()).as_json()
    db.session.commit()  # the shop's time zone, if it was just read from Shopify
    return jsonify(numbers)


def _period() -> Period:
    return parse_period(request.args, shop_zone(g.shop), utcnow())


def _analytics(period: Period) -> Analytics:
    return shop_analytics(g.shop, period,
                          with_sentiment=plans.may_use(g.shop, SENTIMENT_FEATURE))


# Registered once, when the factory first imports this module (as history's pages are).
bp.add_url_rule("/analytics", endpoint="analytics", view_func=analytics_page)
bp.add_url_rule("/analytics.json", endpoint="analytics_json", view_func=analytics_json)
