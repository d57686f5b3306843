"""The one module that talks to Gemini: client settings, the call, and what a failure means.

Everything else in Lumen asks for a :class:`Completion` through :func:`complete` and treats any
:class:`LLMFailure` as "answer with the template". No key configured means no client at all.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

import httpx
from flask import Flask, current_app

from lumen.config import DEFAULT_GEMINI_MODEL, DEFAULT_LLM_DEADLINE

if TYPE_CHECKING:
    from google import genai
    from google.genai import types

try:
    import httpx2

    _HTTP_MODULES: tuple = (httpx, httpx2)
except ImportError:  # google-genai before 3.x sends through httpx alone
    _HTTP_MODULES = (httpx,)
# The SDK sends through httpx2 by default and httpx on request, so both kinds are caught.
TIMEOUT_ERRORS = tuple(module.TimeoutException for module in _HTTP_MODULES)
TRANSPORT_ERRORS = tuple(module.HTTPError for module in _HTTP_MODULES)
RETRYABLE_STATUS_CODES = [408, 429, 500, 502, 503, 504]
MAX_ATTEMPTS = 2
EXTENSION_KEY = "gemini"


def _sdk() -> ModuleType:
    # google-genai is imported on first use: a process without a key (most workers, the
    # export job) never loads it (~28 MB of memory, ~0.3 s of start-up).
    from google import genai

    return genai


class LLMFailure(Exception):
    """A Gemini call gave no usable answer; ``kind`` says why in one word."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


@dataclass(frozen=True)
class Completion:
    """The text Gemini returned with what it cost."""

    text: str
    tokens_in: int
    tokens_out: int
    latency_ms: float


@dataclass(frozen=True)
class Gemini:
    """A configured SDK client and the model it calls."""

    client: genai.Client
    model: str


def build(api_key: str, *, model: str = DEFAULT_GEMINI_MODEL, base_url: str | None = None,
          deadline: float = DEFAULT_LLM_DEADLINE) -> Gemini:
    """A client whose attempts all fit in ``deadline`` seconds, retrying 408/429/5xx once."""
    genai = _sdk()
    types = genai.types
    attempt_ms = max(1000, int(deadline * 1000 / MAX_ATTEMPTS))
    retry = types.HttpRetryOptions(attempts=MAX_ATTEMPTS, initial_delay=0.2, max_delay=0.5,
                                   jitter=0.1, http_status_codes=RETRYABLE_STATUS_CODES)
    # base_url None lets the SDK fall back to GOOGLE_GEMINI_BASE_URL, then Google's endpoint.
    options = types.HttpOptions(base_url=base_url, timeout=attempt_ms, retry_options=retry)
    return Gemini(genai.Client(api_key=api_key, http_options=options), model)


def init_app(app: Flask) -> None:
    """Store a client in ``app.extensions['gemini']``, or None when GEMINI_API_KEY is unset."""
    key = app.config.get("GEMINI_API_KEY")
    app.extensions[EXTENSION_KEY] = build(
        key, model=app.config["LUMEN_GEMINI_MODEL"],
        base_url=app.config.get("LUMEN_GEMINI_BASE_URL"),
        deadline=app.config["LUMEN_LLM_DEADLINE"],
    ) if key else None


def warm_up(model: str, schemas: list[type[Any]]) -> None:
    """Make one call per schema against an in-memory answer, so forked work horses start warm.

    The SDK builds its pydantic models and converters on first use (~100 ms); done here, in
    the worker's parent process, every forked work horse inherits them ready.
    """
    genai = _sdk()
    module = _HTTP_MODULES[-1]
    body = {"candidates": [{"content": {"parts": [{"text": "{}"}], "role": "model"},
                            "finishReason": "STOP"}],
            "usageMetadata": {"promptTokenCount": 1, "candidatesTokenCount": 1}}
    transport = module.MockTransport(lambda request: module.Response(200, json=body))
    options = genai.types.HttpOptions(base_url="http://warm-up.invalid",
                                httpx_client=module.Client(transport=transport))
    offline = Gemini(genai.Client(api_key="warm-up", http_options=options), model)
    for schema in schemas:
        complete(offline, system="warm-up", prompt="{}", schema=schema, max_output_tokens=1)


def get_gemini() -> Gemini | None:
    """The app's Gemini client, or None when the LLM is off."""
    if EXTENSION_KEY not in current_app.extensions:
        init_app(current_app)
    return current_app.extensions[EXTENSION_KEY]


def thinking_config(model: str) -> types.ThinkingConfig:
    """Thinking at its minimum: 2.x models take a zero budget, later ones a level."""
    types = _sdk().types
    if model.startswith("gemini-2"):
        return types.ThinkingConfig(thinking_budget=0)
    # Gemini 3 rejects thinking_budget alongside levels and cannot switch thinking fully off.
    return types.ThinkingConfig(thinking_level=types.ThinkingLevel.MINIMAL)


def complete(gemini: Gemini, *, system: str, prompt: str, schema: type[Any],
             max_output_tokens: int, temperature: float = 0.2) -> Completion:
    """One structured (JSON) generation; raises LLMFailure for every kind of failure."""
    genai = _sdk()
    types = genai.types
    config = types.GenerateContentConfig(
        system_instruction=system, response_mime_type="application/json",
        response_schema=schema, thinking_config=thinking_config(gemini.model),
        max_output_tokens=max_output_tokens, temperature=temperature, candidate_count=1,
        automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
    )
    started = time.perf_counter()
    try:
        response = gemini.client.models.generate_content(
            model=gemini.model, contents=prompt, config=config)
    except genai.errors.APIError as error:
        raise LLMFailure(_status_kind(error.code), str(error.status or "")) from None
    except TIMEOUT_ERRORS:
        raise LLMFailure("timeout") from None
    except TRANSPORT_ERRORS as error:
        raise LLMFailure("unreachable", type(error).__name__) from None
    except ValueError as error:  # a body that is not Gemini's JSON (includes pydantic's errors)
        raise LLMFailure("malformed", type(error).__name__) from None
    latency_ms = (time.perf_counter() - started) * 1000
    return Completion(_text(response), *_tokens(response), latency_ms)


def _status_kind(code: int | None) -> str:
    if code == 429:
        return "rate_limited"
    if code is not None and code >= 500:
        return "server_error"
    return "client_error"


def _text(response: types.GenerateContentResponse) -> str:
    candidate = (response.candidates or [None])[0]
    finish = candidate.finish_reason if candidate else None
    if finish not in (None, _sdk().types.FinishReason.STOP):
        raise LLMFailure("incomplete", str(finish))
    text = response.text
    if not text:
        raise LLMFailure("empty")
    return text


def _tokens(response: types.GenerateContentResponse) -> tuple[int, int]:
    usage = response.usage_metadata
    if usage is None:
        return 0, 0
    # Thinking tokens are billed as output, so they count as output here too.
    output = (usage.candidates_token_count or 0) + (usage.thoughts_token_count or 0)
    return usage.prompt_token_count or 0, output
