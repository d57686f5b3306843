"""Gemini calls as RQ jobs, and the turn-side wait for them with a deadline.

A job is a plain function taking a task name and a prompt that holds no email address; its
result lives seconds, not hours. The web request waits for it up to the deadline and then
answers with the template. Whatever the job returns is untrusted data: the caller validates it.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict, dataclass
from typing import Any

from flask import current_app
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job, JobStatus
from rq.results import Result

from lumen.llm import events
from lumen.llm.client import Completion, LLMFailure, complete, get_gemini
from lumen.llm.tasks import TASKS
from lumen.queue import get_queue
from lumen.security import EMAIL_PATTERN

JOB_TIMEOUT = 30  # the SDK's own attempts fit well inside; RQ kills anything longer
RESULT_TTL = 30  # the waiting turn reads the result at once; nobody needs it after that
FAILURE_TTL = 600  # long enough to inspect a failure, short enough to hold nothing for long
LONGEST_BLOCK = 1.0  # seconds; under the Redis socket timeout, so a blocking read never trips it
BLOCK_MARGIN = 0.25  # seconds before the deadline when blocking reads give way to polling
POLL_INTERVAL = 0.01
_INLINE_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="lumen-llm")


@dataclass(frozen=True)
class JobOutcome:
    """How waiting for a job went: ok, deadline or failed, its value, and the time waited."""

    status: str
    value: Any = None
    waited_ms: float = 0.0


@dataclass(frozen=True)
class Answer:
    """One Gemini call as a turn sees it: the completion, or the one-word reason there is none."""

    completion: Completion | None
    failure: str | None
    waited_ms: float


def call_gemini(task: str, prompt: str) -> dict[str, Any]:
    """RQ job: one Gemini call for ``task``; returns the completion or the failure's kind."""
    gemini = get_gemini()
    if gemini is None:
        return {"failure": "off"}
    spec = TASKS[task]
    try:
        completion = complete(gemini, system=spec.system, prompt=prompt, schema=spec.schema,
                              max_output_tokens=spec.max_output_tokens,
                              temperature=spec.temperature)
    except LLMFailure as failure:
        return {"failure": failure.kind}
    return asdict(completion)


def ask(task: str, payload: dict[str, Any], deadline: float | None = None) -> Answer:
    """Ask Gemini for ``task`` about ``payload`` within the turn's deadline; never raises."""
    deadline = deadline or current_app.config["LUMEN_LLM_DEADLINE"]
    # A second net under the callers' redaction: no address ever enters a job payload.
    prompt = EMAIL_PATTERN.sub("[email]", json.dumps(payload, ensure_ascii=False))
    outcome = run_with_deadline(call_gemini, (task, prompt), deadline)
    if outcome.status != "ok":
        return Answer(None, outcome.status, outcome.waited_ms)
    if "failure" in outcome.value:
        events.record("failure", f"{task}:{outcome.value['failure']}")
        return Answer(None, outcome.value["failure"], outcome.waited_ms)
    return Answer(Completion(**outcome.value), None, outcome.waited_ms)


def run_with_deadline(func: Callable[..., Any], args: Sequence[Any],
                      deadline: float) -> JobOutcome:
    """Run ``func(*args)`` as an RQ job (inline without Redis) and wait at most ``deadline``."""
    started = time.monotonic()
    if get_queue().is_async:
        status, value = _on_worker(func, args, deadline)
    else:
        status, value = _inline(func, args, deadline)
    if status != "ok":
        events.record(status, func.__name__)
    return JobOutcome(status, value, (time.monotonic() - started) * 1000)


def _on_worker(func: Callable[..., Any], args: Sequence[Any],
               deadline: float) -> tuple[str, Any]:
    deadline_at = time.monotonic() + deadline
    job = get_queue().enqueue(func, *args, job_timeout=JOB_TIMEOUT, ttl=math.ceil(deadline),
                              result_ttl=RESULT_TTL, failure_ttl=FAILURE_TTL)
    result = _wait_for_result(job, deadline_at)
    if result is None:
        _cancel_if_waiting(job)
        return "deadline", None
    if result.type == Result.Type.SUCCESSFUL:
        return "ok", result.return_value
    return "failed", None


def _wait_for_result(job: Job, deadline_at: float) -> Result | None:
    # XREAD blocks on the job's result stream, so the turn wakes the moment the worker is done.
    # Redis ends a block only on its own clock tick (100 ms at the default hz of 10), so the
    # last stretch before the deadline is polled instead, to answer on time when nothing comes.
    key = Result.get_key(job.id)
    while (remaining := deadline_at - time.monotonic()) > 0:
        if remaining > BLOCK_MARGIN:
            block_ms = int(min(remaining - BLOCK_MARGIN, LONGEST_BLOCK) * 1000)
            found = job.connection.xread({key: "0-0"}, block=max(1, block_ms))
        else:
            found = job.connection.xrevrange(key, count=1)
            if not found:
                time.sleep(min(POLL_INTERVAL, remaining))
        if found:
            return job.latest_result()
    return None


def _cancel_if_waiting(job: Job) -> None:
    # A job no worker has started is worthless now; one already running is left to finish.
    try:
        if job.get_status(refresh=True) == JobStatus.QUEUED:
            job.cancel()
    except (InvalidJobOperation, NoSuchJobError):
        pass


def _inline(func: Callable[..., Any], args: Sequence[Any], deadline: float) -> tuple[str, Any]:
    app = current_app._get_current_object()

    def run() -> Any:
        """The job in an app context of its own, as a worker would run it."""
        with app.app_context():
            return func(*args)

    future = _INLINE_POOL.submit(run)
    try:
        return "ok", future.result(timeout=deadline)
    except FutureTimeout:
        return "deadline", None
    except Exception:  # any crash of the call means "answer with the template"
        current_app.logger.exception("inline LLM job failed")
        return "failed", None
