"""The one Gemini module: the real google-genai client against the fake, retries and failures."""

from __future__ import annotations

import re
import time

import pytest
from pydantic import BaseModel

from lumen.config import DEFAULT_GEMINI_MODEL as DEFAULT_MODEL
from lumen.extensions import db
from lumen.llm.client import (
    LLMFailure,
    build,
    complete,
    get_gemini,
    init_app,
)
from lumen.llm.reading import read_message
from tests.conftest import make_app


class Echo(BaseModel):
    """A minimal schema for direct calls."""

    reply: str
    sentiment: str
    sentiment_score: float


def snake(mapping: dict) -> dict:
    """Keys in snake_case: the SDK sends nested keys either way, as proto JSON allows."""
    return {re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower(): value for key, value in mapping.items()}


def call(gemini, prompt: str = '{"template": "Your order #1042 has shipped."}'):
    """One voice-shaped call straight through the client."""
    return complete(gemini, system="test", prompt=prompt, schema=Echo, max_output_tokens=50)


def test_no_key_means_no_client_and_no_request(app, fake_gemini):
    init_app(app)
    assert app.extensions["gemini"] is None
    assert read_message("where is order 1042?") == (None, None)
    assert fake_gemini.requests == []


def test_the_real_client_reaches_the_base_url_with_key_model_and_minimal_thinking(llm_app,
                                                                                  fake_gemini):
    completion = call(get_gemini())
    request = fake_gemini.requests[0]
    assert request["path"].endswith(f"/models/{DEFAULT_MODEL}:generateContent")
    assert request["api_key"] == "test-gemini-key"
    config = request["body"]["generationConfig"]
    assert snake(config["thinkingConfig"]) == {"thinking_level": "MINIMAL"}
    assert config["responseMimeType"] == "application/json"
    assert config["maxOutputTokens"] == 50
    assert set(config["responseSchema"]["properties"]) == {"reply", "sentiment",
                                                            "sentiment_score"}
    assert completion.text.startswith('{"reply": "Happy to help! Your order #1042')
    assert completion.tokens_in > 0 and completion.tokens_out > 0


def test_gemini_2_models_get_a_zero_thinking_budget(tmp_path, fake_gemini):
    app = make_app(tmp_path, GEMINI_API_KEY="k", LUMEN_GEMINI_BASE_URL=fake_gemini.base_url,
                   LUMEN_GEMINI_MODEL="gemini-2.5-flash-lite")
    with app.app_context():
        call(get_gemini())
    request = fake_gemini.requests[0]
    assert "/models/gemini-2.5-flash-lite:" in request["path"]
    assert snake(request["body"]["generationConfig"]["thinkingConfig"]) == {"thinking_budget": 0}


def test_the_sdk_environment_variable_also_sets_the_base_url(monkeypatch, fake_gemini):
    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", fake_gemini.base_url)
    call(build("k"))
    assert len(fake_gemini.requests) == 1


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_a_transient_status_is_retried_once(llm_app, fake_gemini, status):
    fake_gemini.script = [status]
    assert call(get_gemini()).text
    assert len(fake_gemini.requests) == 2


@pytest.mark.parametrize(("status", "kind"), [(429, "rate_limited"), (500, "server_error"),
                                              (503, "server_error")])
def test_a_status_that_persists_is_a_failure_after_two_attempts(llm_app, fake_gemini, status,
                                                                kind):
    fake_gemini.mode, fake_gemini.status = "error", status
    with pytest.raises(LLMFailure) as failure:
        call(get_gemini())
    assert failure.value.kind == kind
    assert len(fake_gemini.requests) == 2


def test_a_client_error_is_not_retried(llm_app, fake_gemini):
    fake_gemini.script = [400]
    with pytest.raises(LLMFailure) as failure:
        call(get_gemini())
    assert failure.value.kind == "client_error"
    assert len(fake_gemini.requests) == 1


def test_a_hanging_server_times_out_within_the_attempt_budget(llm_app, fake_gemini):
    fake_gemini.mode = "hang"
    started = time.monotonic()
    with pytest.raises(LLMFailure) as failure:
        call(get_gemini())
    elapsed = time.monotonic() - started
    assert failure.value.kind == "timeout"
    # Two attempts of max(1 s, deadline / 2) each, plus one short back-off.
    assert 2.0 <= elapsed < 3.5
    assert len(fake_gemini.requests) == 2


def test_a_body_that_is_not_gemini_json_is_malformed(llm_app, fake_gemini):
    fake_gemini.mode = "garbage"
    with pytest.raises(LLMFailure) as failure:
        call(get_gemini())
    assert failure.value.kind == "malformed"


def test_init_app_reads_every_setting(tmp_path):
    app = make_app(tmp_path, GEMINI_API_KEY="k", LUMEN_GEMINI_MODEL="gemini-x",
                   LUMEN_GEMINI_BASE_URL="http://gateway.internal:8080", LUMEN_LLM_DEADLINE=6.0)
    with app.app_context():
        db.create_all()
        gemini = get_gemini()
    options = gemini.client._api_client._http_options
    assert gemini.model == "gemini-x"
    assert options.base_url.startswith("http://gateway.internal:8080")
    assert options.timeout == 3000
    assert options.retry_options.attempts == 2
    assert options.retry_options.http_status_codes == [408, 429, 500, 502, 503, 504]


def test_the_process_warms_the_sdk_without_any_request(tmp_path, fake_gemini):
    from lumen import llm

    app = make_app(tmp_path, GEMINI_API_KEY="k", LUMEN_GEMINI_BASE_URL=fake_gemini.base_url)
    llm.warm_up(app)
    assert app.extensions["gemini"].model == DEFAULT_MODEL
    assert fake_gemini.requests == []


def test_the_llm_settings_come_from_the_environment():
    from lumen.config import ConfigError, load_config

    defaults = load_config({})
    assert (defaults["LUMEN_GEMINI_MODEL"], defaults["LUMEN_LLM_DEADLINE"]) == (DEFAULT_MODEL, 4.0)
    assert defaults["LUMEN_GEMINI_BASE_URL"] is None
    configured = load_config({"LUMEN_LLM_DEADLINE": "2.5", "LUMEN_GEMINI_MODEL": "gemini-x",
                              "LUMEN_GEMINI_BASE_URL": "https://gateway.example/gemini"})
    assert configured["LUMEN_LLM_DEADLINE"] == 2.5
    assert configured["LUMEN_GEMINI_BASE_URL"] == "https://gateway.example/gemini"
    with pytest.raises(ConfigError, match="LUMEN_LLM_DEADLINE"):
        load_config({"LUMEN_LLM_DEADLINE": "0"})
