"""Simultaneous duplicate deliveries on real PostgreSQL: the unique constraint lets one through."""

from __future__ import annotations

import threading

import pytest
from flask_migrate import upgrade
from rq import Queue
from sqlalchemy import func, select

from lumen.extensions import db
from lumen.models import Shop, WebhookDelivery
from tests.conftest import make_app
from tests.webhooks.conftest import WebhookSender, payload_for

pytestmark = pytest.mark.integration
RACERS = 8


@pytest.fixture
def postgres_app(tmp_path, postgres_url):
    """The app on a migrated PostgreSQL database, with jobs kept queued."""
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=postgres_url)
    with app.app_context():
        upgrade()
        app.extensions["rq"] = Queue("lumen", connection=app.extensions["redis"], is_async=True)
        yield app
        db.session.remove()
        db.engine.dispose()


def test_racing_duplicates_enqueue_exactly_one_job(postgres_app):
    shop = Shop(domain="race.myshopify.com", access_token="shpat_race")
    db.session.add(shop)
    db.session.commit()
    domain, payload = shop.domain, payload_for("customers/redact", shop)
    barrier = threading.Barrier(RACERS)
    statuses: list[str] = []

    def deliver() -> None:
        sender = WebhookSender(postgres_app.test_client())
        barrier.wait()
        response = sender.post("customers/redact", payload, domain, webhook_id="same-id")
        statuses.append(response.get_json()["status"])

    threads = [threading.Thread(target=deliver) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == ["accepted"] + ["duplicate"] * (RACERS - 1)
    assert postgres_app.extensions["rq"].count == 1
    assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 1
