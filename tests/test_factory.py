"""The factory only wires: building an app calls nobody, reads no lexicon, sets up no logging."""

from __future__ import annotations

import logging
import socket

import pytest
from vaderSentiment import vaderSentiment

from lumen import sentiment
from lumen.conversation.intents import shipped_model
from lumen.startup import prepare_process
from tests.conftest import make_app


class Forbidden(AssertionError):
    """Raised by anything create_app must not do."""


@pytest.fixture
def no_process_setup(monkeypatch):
    """Make every outbound connection, lexicon load and logging set-up fail loudly."""

    def refuse(*_args, **_kwargs):
        raise Forbidden("create_app did process set-up")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(logging, "basicConfig", refuse)
    monkeypatch.setattr(vaderSentiment.SentimentIntensityAnalyzer, "__init__", refuse)
    monkeypatch.setattr(sentiment, "_analyzer", refuse)


def test_create_app_makes_no_outbound_call_and_loads_no_lexicon(tmp_path, no_process_setup):
    app = make_app(tmp_path, GEMINI_API_KEY="a-key", LUMEN_GEMINI_BASE_URL="http://gemini.test",
                   REDIS_URL="redis://redis.test:6379/0")
    assert app.extensions["gemini"] is not None  # the client exists, built without a call


def test_the_entry_points_load_the_lexicon_and_the_intent_model(tmp_path):
    sentiment._analyzer.cache_clear()
    shipped_model.cache_clear()
    prepare_process(make_app(tmp_path))
    assert sentiment._analyzer.cache_info().currsize == 1
    assert shipped_model.cache_info().currsize == 1
