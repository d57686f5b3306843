"""Retention and privacy expiry are scheduled daily, export expiry and the analytics rollup
hourly, through RQ's cron scheduler."""

import fakeredis
from rq.cron import CronScheduler

from lumen.history.exports import sweep_expired_exports
from lumen.jobs.analytics import roll_up_all_shops
from lumen.jobs.privacy import expire_privacy_records
from lumen.jobs.retention import sweep_all_shops
from lumen.queue import QUEUE_NAME


def test_daily_jobs_are_registered():
    scheduler = CronScheduler(connection=fakeredis.FakeRedis())
    scheduler.load_config_from_file("lumen.schedule")
    jobs = {job.func: job for job in scheduler.get_jobs()}
    assert set(jobs) == {sweep_all_shops, expire_privacy_records, sweep_expired_exports,
                         roll_up_all_shops}
    assert {job.queue_name for job in jobs.values()} == {QUEUE_NAME}
    assert jobs[sweep_all_shops].cron == "17 3 * * *"
    assert jobs[expire_privacy_records].cron == "37 3 * * *"
    assert jobs[sweep_expired_exports].cron == "7 * * * *"
    assert jobs[roll_up_all_shops].cron == "4 * * * *", "hourly: closed hours too"
