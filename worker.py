"""RQ worker: builds the app once, then forks a work horse per job (no gevent: RQ needs SIGALRM)."""

import sys

from rq import Worker

from lumen import create_app
from lumen.queue import get_queue, get_redis
from lumen.startup import prepare_process


def main() -> None:
    """Work Lumen's queue until stopped, with the app context every job needs."""
    app = create_app()
    if not app.config.get("REDIS_URL"):
        sys.exit("worker.py: REDIS_URL is not set; without it jobs run inline in the web process")
    prepare_process(app)
    with app.app_context():
        # Connections opened before the fork must not be shared by work horses.
        from lumen.extensions import db

        db.engine.dispose()
        Worker([get_queue()], connection=get_redis()).work(with_scheduler=True)


if __name__ == "__main__":
    main()
