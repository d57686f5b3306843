"""Fixtures: the fake Gemini server and an app whose real google-genai client points at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from lumen.extensions import db
from lumen.llm import init_app
from tests.conftest import make_app
from tests.llm.fake_gemini import FakeGemini

TEST_DEADLINE = 1.0
# How late past the deadline a turn may end: a loaded machine wakes threads late; a model
# that hangs would hold the turn until it is released, far beyond this.
DEADLINE_SLACK = 0.5


@pytest.fixture
def fake_gemini() -> Iterator[FakeGemini]:
    """A running fake Gemini API, stopped (and its hanging requests released) afterwards."""
    fake = FakeGemini().start()
    yield fake
    fake.stop()


@pytest.fixture
def llm_app(tmp_path, fake_gemini) -> Iterator[Flask]:
    """The embedded-default app with Gemini on, pointed at the fake, inside an app context."""
    app = make_app(tmp_path, GEMINI_API_KEY="test-gemini-key",
                   LUMEN_GEMINI_BASE_URL=fake_gemini.base_url, LUMEN_LLM_DEADLINE=TEST_DEADLINE)
    init_app(app)  # as create_app does: the client is built once, not on a shopper's turn
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
