"""Reading the app embed's state from the main theme's config/settings_data.json."""

from __future__ import annotations

import json

import pytest

from lumen.admin.theme_embed import embed_enabled
from lumen.schema import validate_document
from lumen.shopify.queries import MAIN_THEME_SETTINGS

NOTICE = "/*\n * IMPORTANT: The contents of this file are auto-generated.\n */\n"
LUMEN = "shopify://apps/lumen/blocks/lumen-chat/4a1c7a52-5c44-4b57-9a3b-8f8b2f0f0f0f"
OTHER_APP = "shopify://apps/reviews/blocks/stars/11111111-2222-3333-4444-555555555555"


def settings_data(*blocks: dict, preset: bool = False) -> str:
    current = {"colors_accent_1": "#121212",
               "blocks": {str(index): block for index, block in enumerate(blocks)}}
    if preset:
        return NOTICE + json.dumps({"current": "Dawn", "presets": {"Dawn": current}})
    return NOTICE + json.dumps({"current": current})


@pytest.mark.parametrize(("content", "enabled"), [
    (settings_data({"type": LUMEN, "disabled": False, "settings": {}}), True),
    (settings_data({"type": LUMEN, "settings": {}}), True),
    (settings_data({"type": LUMEN, "disabled": True}), False),
    (settings_data({"type": OTHER_APP, "disabled": False}), False),
    (settings_data(), False),
    (settings_data({"type": OTHER_APP}, {"type": LUMEN}, preset=True), True),
    (NOTICE + json.dumps({"current": {}}), False),
])
def test_embed_enabled(content, enabled):
    assert embed_enabled(content) is enabled


def test_a_block_of_another_handle_does_not_count():
    lookalike = LUMEN.replace("/lumen-chat/", "/lumen-chat-legacy/")
    assert not embed_enabled(settings_data({"type": lookalike}))


def test_the_theme_query_is_valid_against_shopifys_schema():
    assert validate_document(MAIN_THEME_SETTINGS) == []
