"""Gemini in Lumen: optional understanding, brand voice and sentiment, always with a fallback.

``client`` is the one module that talks to Gemini; ``jobs`` runs calls on RQ workers with a
per-turn deadline; ``reading`` (a second reading of an unsure message) and ``voice`` (a rewrite
in the shop's voice) are what the turn uses; ``guard`` is the code that decides whether
model-written text may be shown. Lexicon sentiment is not here: see :mod:`lumen.sentiment`.
"""

import json
import logging

import click
from flask import Flask

from lumen.llm import client, events, jobs
from lumen.llm.tasks import TASKS

__all__ = ["init_app", "jobs", "warm_up"]


def init_app(app: Flask) -> None:
    """Build the Gemini client (None without GEMINI_API_KEY); no call, no I/O."""
    client.init_app(app)
    app.cli.command("llm-events")(show_events)


def show_events() -> None:
    """Print the LLM events counted so far (misses, rejections, failures) as JSON."""
    click.echo(json.dumps(events.counts(), indent=2, sort_keys=True))


def warm_up(app: Flask) -> None:
    """Warm the Gemini SDK offline for this process (and the work horses it forks)."""
    gemini = app.extensions.get(client.EXTENSION_KEY)
    if gemini is None:
        return
    try:
        client.warm_up(gemini.model, [task.schema for task in TASKS.values()])
    except Exception:  # an optimisation only: a cold client still works
        logging.getLogger("lumen.llm").exception("Gemini warm-up failed")
