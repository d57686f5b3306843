"""Process set-up, done once by each entry point (wsgi.py, worker.py, the CLI).

``create_app`` only wires; what touches the process (logging, files, warm caches) happens here,
so building an app in a test or a script costs nothing and calls nobody.
"""

from __future__ import annotations

import logging

from flask import Flask

from lumen import llm, sentiment
from lumen.conversation.intents import shipped_model


def prepare_process(app: Flask) -> None:
    """Logging at LUMEN_LOG_LEVEL, the VADER lexicon and the intent model loaded, and the Gemini
    SDK warmed."""
    logging.basicConfig(level=app.config["LUMEN_LOG_LEVEL"])
    # Loaded now, in the parent process, not on a shopper's turn or in every forked job.
    sentiment.load_lexicon()
    shipped_model()
    llm.warm_up(app)
