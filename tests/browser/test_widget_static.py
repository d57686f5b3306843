"""The widget's source, without a browser: the size budget and the APIs it must never use."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WIDGET_JS = ROOT / "static" / "widget" / "lumen-widget.js"
WIDGET_CSS = ROOT / "static" / "widget" / "lumen-widget.css"
STOREFRONT = ROOT / "templates" / "demo" / "storefront.html"
BUDGET_BYTES = 10 * 1024
# Anything that turns a string into markup or code.
FORBIDDEN = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|"
                       r"new\s+Function\b|createContextualFragment|DOMParser|srcdoc|"
                       r"set(?:Timeout|Interval)\s*\(\s*['\"`]")


def gzipped_size(path: Path) -> int:
    """Bytes on the wire with ordinary gzip, as a CDN would serve it."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def test_code_before_the_first_click_fits_the_budget():
    """The script is all that loads before the click, and it is at most 10 KB gzipped."""
    assert gzipped_size(WIDGET_JS) <= BUDGET_BYTES


def test_script_and_stylesheet_together_fit_the_budget():
    """Even counting the stylesheet, warmed when the pointer reaches the bubble, it fits."""
    assert gzipped_size(WIDGET_JS) + gzipped_size(WIDGET_CSS) <= BUDGET_BYTES


def test_widget_never_parses_markup_or_evaluates_strings():
    """Text reaches the page only through textContent and text nodes."""
    source = WIDGET_JS.read_text()
    assert FORBIDDEN.findall(source) == []
    assert "textContent" in source


class _ScriptTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def test_storefront_loads_the_widget_deferred_through_the_proxy():
    """The demo page embeds the widget as a theme would: deferred, with the proxy base."""
    parser = _ScriptTags()
    parser.feed(STOREFRONT.read_text())
    widget = [tag for tag in parser.scripts if "lumen-widget.js" in (tag.get("src") or "")]
    assert len(widget) == 1
    assert "defer" in widget[0]
    assert widget[0]["data-proxy-base"] == "/apps/lumen"
