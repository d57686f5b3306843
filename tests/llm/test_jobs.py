"""Running Gemini calls with a per-turn deadline, inline on the embedded default."""

from __future__ import annotations

import json
import time

from lumen.llm import events
from lumen.llm.jobs import ask, run_with_deadline


def double(value: int) -> int:
    """A job that answers at once."""
    return value * 2


def slow(seconds: float) -> str:
    """A job that answers too late."""
    time.sleep(seconds)
    return "late"


def broken() -> None:
    """A job that crashes."""
    raise RuntimeError("boom")


def test_a_prompt_job_answers_inline(app):
    outcome = run_with_deadline(double, (21,), deadline=1.0)
    assert (outcome.status, outcome.value) == ("ok", 42)
    assert outcome.waited_ms < 1000
    assert events.counts() == {}


def test_a_late_job_is_a_recorded_miss_at_the_deadline(app):
    started = time.monotonic()
    outcome = run_with_deadline(slow, (1.0,), deadline=0.2)
    assert outcome.status == "deadline" and outcome.value is None
    assert 0.2 <= time.monotonic() - started < 0.3
    assert events.counts() == {"deadline:slow": 1}


def test_a_crashing_job_is_a_recorded_failure(app):
    outcome = run_with_deadline(broken, (), deadline=1.0)
    assert outcome.status == "failed"
    assert events.counts() == {"failed:broken": 1}


def test_no_email_enters_a_job_even_if_a_caller_forgot_to_redact(llm_app, fake_gemini):
    answer = ask("voice", {"template": "Hi", "shopper_messages": ["me: a.b@example.org"]})
    assert answer.completion is not None
    sent = fake_gemini.requests[-1]["body"]["contents"][0]["parts"][0]["text"]
    assert "a.b@example.org" not in sent
    assert json.loads(sent)["shopper_messages"] == ["me: [email]"]


def test_with_the_llm_off_a_job_reports_off(app):
    answer = ask("voice", {"template": "Hi"})
    assert answer.completion is None and answer.failure == "off"
    assert events.counts() == {"failure:voice:off": 1}


def test_the_counted_events_can_be_read_from_the_command_line(app, runner):
    events.record("rejected", "voice:number")
    events.record("rejected", "voice:number")
    result = runner.invoke(args=["llm-events"])
    assert result.exit_code == 0
    assert json.loads(result.output) == {"rejected:voice:number": 2}
