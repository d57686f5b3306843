"""The retention sweep is scheduled daily through RQ's cron scheduler."""

import fakeredis
from rq.cron import CronScheduler

from lumen.jobs.retention import sweep_all_shops
from lumen.queue import QUEUE_NAME


def test_retention_sweep_is_registered_daily():
    scheduler = CronScheduler(connection=fakeredis.FakeRedis())
    scheduler.load_config_from_file("lumen.schedule")
    [job] = scheduler.get_jobs()
    assert job.func is sweep_all_shops
    assert job.queue_name == QUEUE_NAME
    assert job.cron == "17 3 * * *"
