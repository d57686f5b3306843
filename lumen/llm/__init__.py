"""Gemini in Lumen: optional understanding, brand voice and sentiment, always with a fallback.

``client`` is the one module that talks to Gemini; ``jobs`` runs calls on RQ workers with a
per-turn deadline; ``reading`` (a second reading of an unsure message) and ``voice`` (a rewrite
in the shop's voice) are what the turn uses; ``guard`` is the code that decides whether
model-written text may be shown. Lexicon sentiment is not here: see :mod:`lumen.sentiment`.
"""

import logging

from flask import Flask

from lumen import sentiment
from lumen.llm import client, jobs
from lumen.llm.tasks import TASKS

__all__ = ["init_app", "jobs"]


def init_app(app: Flask) -> None:
    """Build the Gemini client (None without GEMINI_API_KEY) and warm it for the workers."""
    client.init_app(app)
    sentiment.lexicon_sentiment("")  # loads VADER's lexicon now, not on a shopper's turn
    gemini = app.extensions[client.EXTENSION_KEY]
    if gemini is None:
        return
    try:
        client.warm_up(gemini.model, [task.schema for task in TASKS.values()])
    except Exception:  # an optimisation only: a cold client still works
        logging.getLogger("lumen.llm").exception("Gemini warm-up failed")
