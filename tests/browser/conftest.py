"""Browser fixtures: the whole demo served in-process, and Debian's headless chromium."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from lumen.models import Plan

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-quic", "--no-first-run", "--disable-component-update",
                 "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _unavailable(environ, start_response):
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


@dataclass(frozen=True)
class Demo:
    """The running demo: where to reach it, and its app (to reach into its Redis stand-in)."""

    url: str
    app: Flask


@contextmanager
def served_demo(workdir: Path, plan: Plan = Plan.FREE, **environ: str) -> Iterator[Demo]:
    """``lumen demo --plan plan`` (app, development store, proxy shim, storefront) on a free port.

    ``environ`` adds variables; ``REDIS_URL`` and ``LUMEN_SMTP_URL`` are unset, as on a fresh
    machine.
    """
    from lumen.demo import build_demo

    # The port must be known before the demo is built (the app calls its development store at it),
    # so bind first and hand the server the real app afterwards.
    server = make_server("127.0.0.1", 0, _unavailable, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", f"sqlite:///{workdir / 'demo.db'}")
        for name in ("REDIS_URL", "LUMEN_SMTP_URL"):
            patch.delenv(name, raising=False)
        patch.setenv("LUMEN_INSTANCE_PATH", str(workdir))
        for name, value in environ.items():
            patch.setenv(name, value)
        app, server.app = build_demo(None, base_url, plan)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Demo(base_url, app)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[Demo]:
    """``lumen demo`` on the Free plan, served on a free port for the module's tests."""
    with served_demo(tmp_path_factory.mktemp("demo")) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    """One headless chromium for the module's tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """Factory: a fresh page (own context, so own sessionStorage); options go to the context."""
    contexts = []

    def factory(width: int = 1280, height: int = 800, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        return page

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    """Where the browser tests leave screenshots for people to look at (gitignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
