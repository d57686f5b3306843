"""RQ cron configuration: ``rq cron lumen.schedule --url $REDIS_URL`` (one per deployment)."""

from rq import cron

from lumen.history.exports import sweep_expired_exports
from lumen.jobs.analytics import roll_up_all_shops
from lumen.jobs.privacy import expire_privacy_records
from lumen.jobs.retention import sweep_all_shops
from lumen.queue import QUEUE_NAME

# Daily, at quiet hours; each shop's purge is its own job so one failure doesn't stop the rest.
cron.register(sweep_all_shops, QUEUE_NAME, cron="17 3 * * *", job_timeout=600,
              name="retention-sweep")
cron.register(expire_privacy_records, QUEUE_NAME, cron="37 3 * * *", job_timeout=600,
              name="privacy-expiry")
# Hourly: a CSV export is deleted within the hour after its 24 hours are up.
cron.register(sweep_expired_exports, QUEUE_NAME, cron="7 * * * *", job_timeout=300,
              name="export-expiry")
# Hourly, just after the hour: each shop's newly closed day (whatever its zone) and hours are
# stored before a page needs them. (A purge that runs later forgets what it deletes.)
cron.register(roll_up_all_shops, QUEUE_NAME, cron="4 * * * *", job_timeout=600,
              name="analytics-rollup")
