"""Gemini calls on a real worker.py process and real Redis, including a worker killed mid-call."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from rq import Worker
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from sqlalchemy import select

from lumen.conversation.replies import ASK_ORDER_NUMBER
from lumen.extensions import db
from lumen.llm.reading import read_message
from lumen.models import Message, Shop, ShopSettings
from lumen.queue import get_queue, get_redis
from tests.conftest import TEST_SECRETS, migrated_app, running_worker, wait_for
from tests.llm.conftest import DEADLINE_SLACK
from tests.widget.conftest import FIXTURES, STORE_TOKEN, devstore_url  # noqa: F401
from tests.widget.proxy import Chat, ProxyClient

pytestmark = pytest.mark.integration
DEADLINE = 2.0


def kill_worker(pid: int) -> None:
    """SIGKILL the worker and its children (the work horse runs in a session of its own)."""
    for child in children(pid):
        os.kill(child, signal.SIGKILL)
    os.killpg(pid, signal.SIGKILL)


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid``, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces; the fields after its closing bracket do not.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def llm_settings(postgres_url: str, redis_url: str, base_url: str) -> dict[str, str]:
    """The environment web and worker share: real services, Gemini pointed at the fake."""
    return {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url,
            "GEMINI_API_KEY": "test-gemini-key", "LUMEN_GEMINI_BASE_URL": base_url,
            "LUMEN_LLM_DEADLINE": str(DEADLINE)}


@pytest.fixture
def worker_app(tmp_path, postgres_url, redis_url, fake_gemini):
    """The web side on real PostgreSQL and Redis, with Gemini on."""
    with migrated_app(tmp_path, SQLALCHEMY_DATABASE_URI=postgres_url, REDIS_URL=redis_url,
                      GEMINI_API_KEY="test-gemini-key",
                      LUMEN_GEMINI_BASE_URL=fake_gemini.base_url,
                      LUMEN_LLM_DEADLINE=DEADLINE) as app:
        assert app.extensions["gemini"] is not None  # the factory turned Gemini on
        yield app


@pytest.fixture
def llm_worker(tmp_path, postgres_url, redis_url, fake_gemini, worker_app):
    """worker.py in its own process group (so the work horse can be killed with it)."""
    settings = llm_settings(postgres_url, redis_url, fake_gemini.base_url)
    with running_worker(tmp_path / "worker.log", settings) as process:
        wait_for(lambda: Worker.all(connection=get_redis()))
        yield process


def test_a_turn_that_needs_the_llm_is_served_by_the_worker(worker_app, llm_worker,
                                                           fake_gemini):
    assert get_queue().is_async
    reading, answer = read_message("yo any news on 1042??")
    assert reading is not None and reading.order_number == "1042"
    finished = get_queue().finished_job_registry.get_job_ids()
    assert len(finished) == 1
    job = Job.fetch(finished[0], connection=get_redis())
    assert job.func_name == "lumen.llm.jobs.call_gemini" and job.worker_name
    assert "1042" in job.args[1] and job.result_ttl == 30
    assert len(fake_gemini.requests) == 1


def test_killing_the_worker_mid_call_still_answers_by_the_deadline(worker_app, llm_worker,
                                                                   fake_gemini):
    fake_gemini.mode = "hang"

    def kill_when_the_call_arrives() -> None:
        """Kill the worker once its work horse is inside the Gemini call."""
        wait_for(lambda: fake_gemini.requests)
        kill_worker(llm_worker.pid)

    killer = threading.Thread(target=kill_when_the_call_arrives)
    killer.start()
    started = time.monotonic()
    reading, answer = read_message("yo any news on 1042??")
    elapsed = time.monotonic() - started
    killer.join()
    assert reading is None and answer.failure == "deadline"
    assert DEADLINE <= elapsed < DEADLINE + DEADLINE_SLACK
    llm_worker.wait(timeout=10)
    registry = StartedJobRegistry(queue=get_queue())
    [job_id] = registry.get_job_ids()
    # What the next worker's maintenance does once the dead worker's heartbeat has lapsed.
    registry.cleanup(timestamp=time.time() + 3600)
    assert get_queue().failed_job_registry.get_job_ids() == [job_id]
    assert Job.fetch(job_id, connection=get_redis()).get_status() == JobStatus.FAILED
    assert len(fake_gemini.requests) == 1


@pytest.fixture
def store_app(worker_app, devstore_url):  # noqa: F811
    """The worker app reading orders from the development store, with its shop installed."""
    worker_app.config["LUMEN_SHOPIFY_ADMIN_URL"] = devstore_url
    db.session.add(Shop(domain=FIXTURES["shop"], access_token=STORE_TOKEN, scopes="read_orders",
                        settings=ShopSettings()))
    db.session.commit()
    return worker_app


def shopper(app) -> Chat:
    """A new widget session, signed as Shopify's proxy would."""
    proxy = ProxyClient(app.test_client(), FIXTURES["shop"], TEST_SECRETS["SHOPIFY_API_SECRET"])
    return Chat(proxy)


def transcript() -> list[Message]:
    """Every stored message, oldest first, as the database has them now."""
    db.session.rollback()  # see other processes' commits, not this session's snapshot
    return list(db.session.scalars(select(Message).order_by(Message.id)))


def test_a_widget_turn_that_needs_the_llm_is_served_by_the_worker(store_app, llm_worker,
                                                                  fake_gemini):
    said = shopper(store_app).say("so what now")
    assert ASK_ORDER_NUMBER in said  # Gemini read "track"; code still asks for the number
    [job_id] = get_queue().finished_job_registry.get_job_ids()
    assert Job.fetch(job_id, connection=get_redis()).worker_name
    shopper_message, answer = transcript()
    assert answer.used_llm and answer.tokens_in > 0 and answer.tokens_out > 0
    assert answer.llm_latency_ms >= 0 and shopper_message.sentiment_score is not None


def test_a_worker_killed_mid_turn_gives_the_template_once(store_app, llm_worker, fake_gemini):
    fake_gemini.mode = "hang"

    def kill_when_the_call_arrives() -> None:
        """Kill the worker once its work horse is inside the Gemini call."""
        wait_for(lambda: fake_gemini.requests)
        kill_worker(llm_worker.pid)

    killer = threading.Thread(target=kill_when_the_call_arrives)
    killer.start()
    chat = shopper(store_app)
    started = time.monotonic()
    said = chat.say("so what now")
    elapsed = time.monotonic() - started
    killer.join()
    assert DEADLINE <= elapsed < DEADLINE + DEADLINE_SLACK
    assert said.startswith("Sorry, I didn't quite get that.")  # the engine's own template
    llm_worker.wait(timeout=10)
    registry = StartedJobRegistry(queue=get_queue())
    [job_id] = registry.get_job_ids()
    registry.cleanup(timestamp=time.time() + 3600)  # the next worker's maintenance, later
    assert get_queue().failed_job_registry.get_job_ids() == [job_id]
    chat.say("thanks")
    texts = [(message.role.value, message.text) for message in transcript()]
    assert [role for role, _ in texts] == ["shopper", "assistant", "shopper", "assistant"]
    assert texts[0][1] == "so what now"
