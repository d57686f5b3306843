"""Is Lumen's app embed switched on in the store's live theme? (Needs the read_themes scope.)

Shopify has no direct answer; the main theme's config/settings_data.json lists the app embed
blocks the merchant enabled, with `disabled: true` once one is switched off again.
"""

from __future__ import annotations

import enum
import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from flask import current_app

from lumen.auth import admin_client_for
from lumen.models import Shop
from lumen.shopify import ShopifyAuthError, ShopifyError
from lumen.shopify.queries import MAIN_THEME_SETTINGS

logger = logging.getLogger(__name__)

EMBED_HANDLE = "lumen-chat"
_EMBED_TYPE = re.compile(rf"shopify://apps/[^/]+/blocks/{EMBED_HANDLE}/[^/]+")
# settings_data.json usually starts with a /* ... */ notice, which JSON does not allow.
_LEADING_COMMENT = re.compile(r"^\s*/\*.*?\*/", re.DOTALL)


class EmbedState(enum.StrEnum):
    """What the Home page can say about the app embed."""

    ENABLED = "enabled"
    DISABLED = "disabled"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class EmbedStatus:
    """The app embed's state in the main theme, and why when it cannot be told."""

    state: EmbedState
    theme_name: str | None = None
    reason: str | None = None


def embed_status(shop: Shop) -> EmbedStatus:
    """Read the main theme's settings from Shopify and find Lumen's app embed block."""
    try:
        with admin_client_for(shop) as client:
            data = client.execute(MAIN_THEME_SETTINGS)
    except ShopifyAuthError:
        return EmbedStatus(EmbedState.UNKNOWN, reason="Lumen lacks permission to read themes.")
    except ShopifyError as error:
        logger.warning("theme check for %s failed: %s", shop.domain, error)
        return EmbedStatus(EmbedState.UNKNOWN, reason="Shopify did not answer; try again soon.")
    themes = (data.get("themes") or {}).get("nodes") or []
    if not themes:
        return EmbedStatus(EmbedState.UNKNOWN, reason="The store has no published theme.")
    return _status_of(themes[0])


def embed_enabled(settings_data: str) -> bool:
    """Whether settings_data.json holds an enabled Lumen app embed block."""
    data = json.loads(_LEADING_COMMENT.sub("", settings_data, count=1))
    current = data.get("current") or {}
    if isinstance(current, str):
        # `current` may name one of the theme's presets instead of holding the settings.
        current = (data.get("presets") or {}).get(current) or {}
    blocks = current.get("blocks") or {}
    return any(_EMBED_TYPE.fullmatch(str(block.get("type", ""))) and not block.get("disabled")
               for block in blocks.values() if isinstance(block, dict))


def theme_editor_url(shop: Shop) -> str:
    """The theme editor deep link that opens App embeds with Lumen's embed switched on."""
    api_key = current_app.config["SHOPIFY_API_KEY"]
    return (f"https://{shop.domain}/admin/themes/current/editor?context=apps"
            f"&activateAppId={api_key}/{EMBED_HANDLE}")


def _status_of(theme: dict[str, Any]) -> EmbedStatus:
    name = theme.get("name")
    files = (theme.get("files") or {}).get("nodes") or []
    content = ((files[0].get("body") or {}).get("content") if files else None)
    if not content:
        return EmbedStatus(EmbedState.DISABLED, name)
    try:
        enabled = embed_enabled(content)
    except (ValueError, AttributeError):
        return EmbedStatus(EmbedState.UNKNOWN, name, "The theme's settings could not be read.")
    return EmbedStatus(EmbedState.ENABLED if enabled else EmbedState.DISABLED, name)
