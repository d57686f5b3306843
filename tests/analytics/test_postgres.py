"""The analytics on real PostgreSQL (its own time zone conversion) give SQLite's numbers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lumen.analytics.period import Period
from lumen.analytics.report import shop_analytics
from lumen.extensions import db
from lumen.jobs.analytics import roll_up_shop
from lumen.models import Shop, ShopSettings, utcnow
from tests.analytics.conftest import Turn, build_conversation
from tests.conftest import migrated_app

pytestmark = pytest.mark.integration
KOLKATA = ZoneInfo("Asia/Kolkata")  # UTC+5:30: local days start at 18:30 UTC


def seed(shop: Shop) -> None:
    """A few days of conversations, one at 23:50 local (18:20 UTC) each day."""
    for days_ago in range(6):
        start = datetime.combine(utcnow().astimezone(KOLKATA).date(), datetime.min.time(),
                                 KOLKATA) - timedelta(days=days_ago)
        build_conversation(shop, start + timedelta(hours=23, minutes=50), delivered=True,
                           sentiment="neutral", situation="stale_tracking", minutes=30,
                           turns=[Turn(latency_ms=12.4 + days_ago), Turn("eta", 40)])
        build_conversation(shop, start + timedelta(hours=9), ticket="human_requested",
                           turns=[Turn("human", used_llm=True, tokens_in=50, tokens_out=5)])


def numbers_on(tmp_path, url: str) -> tuple[dict, dict]:
    """The numbers of the last week, raw and after the rollup, on the database at ``url``."""
    with migrated_app(tmp_path, SQLALCHEMY_DATABASE_URI=url):
        shop = Shop(domain="kolkata.myshopify.com", iana_timezone="Asia/Kolkata",
                    settings=ShopSettings())
        db.session.add(shop)
        db.session.commit()
        seed(shop)
        today = utcnow().astimezone(KOLKATA).date()
        period = Period(today - timedelta(days=6), today, KOLKATA)
        raw = shop_analytics(shop, period, with_sentiment=True).as_json()
        assert roll_up_shop(shop.id) > 0
        rolled = shop_analytics(shop, period, with_sentiment=True).as_json()
    return raw, rolled


def test_postgresql_and_sqlite_count_the_same(tmp_path, postgres_url):
    pg_raw, pg_rolled = numbers_on(tmp_path / "pg", postgres_url)
    (tmp_path / "lite").mkdir()
    lite_raw, lite_rolled = numbers_on(tmp_path / "lite",
                                       f"sqlite:///{tmp_path / 'lite' / 'a.db'}")
    assert pg_raw == pg_rolled == lite_raw == lite_rolled
    assert pg_raw["conversations"] == 12 and pg_raw["timezone"] == "Asia/Kolkata"
    assert sorted({hour for _, hour, _ in pg_raw["by_weekday_hour"]}) == [9, 23]
    assert pg_raw["reply_ms"] == {"p50": 20.0, "p95": 40.0}  # 12..17, 6 x 20, 6 x 40 ms
    assert date.fromisoformat(pg_raw["daily"][-1]["date"]) == utcnow().astimezone(
        KOLKATA).date()
