"""`lumen demo --plan ...` puts the demo shop on that plan, and seeds a living history made by
real conversations through the widget API."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lumen.cli import _parser
from lumen.demo import build_demo
from lumen.extensions import db
from lumen.models import Conversation, Message, Plan, Shop, Ticket, utcnow
from lumen.outcomes import Outcome


@pytest.fixture
def demo_app(tmp_path, monkeypatch):
    """Factory: the demo (app, WSGI app) built on ``plan`` in its own folder (SQLite)."""

    def build(plan: Plan = Plan.FREE, seed: bool = True):
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
        monkeypatch.delenv("REDIS_URL", raising=False)
        monkeypatch.setenv("LUMEN_INSTANCE_PATH", str(tmp_path))
        return build_demo(None, "http://127.0.0.1:5999", plan=plan, seed=seed)

    return build


def test_the_plan_option_is_parsed():
    assert _parser().parse_args(["demo", "--plan", "pro_plus"]).plan == "pro_plus"
    assert _parser().parse_args(["demo"]).plan == "free"
    with pytest.raises(SystemExit):
        _parser().parse_args(["demo", "--plan", "gold"])


@pytest.mark.parametrize(("plan", "subscriptions"), [
    (Plan.FREE, []), (Plan.PRO, [{"name": "Pro", "status": "ACTIVE"}]),
    (Plan.PRO_PLUS, [{"name": "Pro+", "status": "ACTIVE"}])])
def test_the_demo_shop_is_on_the_plan_the_store_answers(demo_app, plan, subscriptions):
    import httpx

    from lumen.auth import admin_client_for
    from lumen.auth.tokens import TRANSPORT_EXTENSION
    from lumen.plans import CURRENT_SUBSCRIPTIONS

    app, served = demo_app(plan, seed=False)
    with app.app_context():
        shop = db.session.scalars(select(Shop)).one()
        assert shop.plan is plan
        app.extensions[TRANSPORT_EXTENSION] = httpx.WSGITransport(app=served)
        with admin_client_for(shop) as client:
            answer = client.execute(CURRENT_SUBSCRIPTIONS)
        assert answer["currentAppInstallation"]["activeSubscriptions"] == subscriptions


def test_the_seeded_history_is_real_varied_and_spread_over_30_days(demo_app):
    app, _ = demo_app()
    with app.app_context():
        conversations = list(db.session.scalars(select(Conversation)))
        assert len(conversations) >= 40
        outcomes = Counter(conversation.outcome for conversation in conversations)
        assert set(outcomes) == set(Outcome), outcomes
        now = utcnow()
        starts = [conversation.started_at for conversation in conversations]
        assert all(now - timedelta(days=31) < start <= now for start in starts)
        assert max(starts) - min(starts) > timedelta(days=14)
        # Written by the engine: intents, latencies and redacted shopper text.
        texts = list(db.session.scalars(select(Message.text)))
        assert not any("@example.com" in text for text in texts) and any(
            "[email]" in text for text in texts)
        assert db.session.scalar(select(func.count()).select_from(Message).where(
            Message.intent.is_not(None))) == len(texts)
        reasons = set(db.session.scalars(select(Ticket.reason)))
        assert {"not_received", "verification_locked"} <= reasons
        for conversation in conversations:
            times = [message.created_at for message in conversation.messages]
            assert times == sorted(times) and times[0] >= conversation.started_at
        assert any(conversation.feedback for conversation in conversations)
    again, _ = demo_app()  # a restart keeps the history instead of seeding twice
    with again.app_context():
        assert db.session.scalar(select(func.count()).select_from(Conversation)) == len(
            conversations)
