"""A real worker.py process on real Redis executes Lumen's jobs against real PostgreSQL."""

import pytest
from rq.job import JobStatus
from sqlalchemy import func, select

from lumen.extensions import db
from lumen.jobs.retention import purge_shop, sweep_all_shops
from lumen.models import Conversation, Shop, ShopSettings
from lumen.queue import enqueue, get_queue
from tests.conftest import running_worker, wait_for
from tests.test_retention import add_conversation

pytestmark = pytest.mark.integration


@pytest.fixture
def worker_process(tmp_path, postgres_url, redis_url):
    """worker.py running in its own process with the same settings as the app."""
    with running_worker(tmp_path / "worker.log",
                        {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url}) as process:
        yield process


def conversations_left() -> int:
    db.session.rollback()  # see the worker's commits, not this session's snapshot
    return db.session.scalar(select(func.count()).select_from(Conversation))


def test_worker_runs_the_retention_sweep(production_app, worker_process):
    shop = Shop(domain="worker-test.myshopify.com", settings=ShopSettings(retention_days=7))
    db.session.add(shop)
    db.session.commit()
    add_conversation(shop, days_old=8)
    add_conversation(shop, days_old=1)
    job = enqueue(sweep_all_shops)
    assert job.get_status() == JobStatus.QUEUED  # really queued, not run inline
    wait_for(lambda: conversations_left() == 1)
    assert job.get_status(refresh=True) == JobStatus.FINISHED


def test_failing_job_lands_in_the_failed_registry(production_app, worker_process):
    job = enqueue(purge_shop, "not-a-shop-id", retries=0)
    wait_for(lambda: job.get_status(refresh=True) == JobStatus.FAILED)
    assert job.id in get_queue().failed_job_registry.get_job_ids()
    assert "DataError" in job.latest_result().exc_string
