"""What the development store knows about the app's installation, from optional fixture keys:

- `"app_installation": {"activeSubscriptions": [{"name": "Pro", "status": "ACTIVE"}]}` answers
  `currentAppInstallation` (Shopify App Pricing); left out, the shop has no subscription (Free).
- `"main_theme": {"name": "Dawn", "settings_data": {...}}` answers `themes(roles: [MAIN])` with
  one theme whose config/settings_data.json is `settings_data` (an object, or the file's text);
  left out, the store has no published theme.
- `"iana_timezone": "Europe/Berlin"` answers `shop { ianaTimezone }`; left out, the store is
  on DEFAULT_TIMEZONE (Shopify always has one).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from zoneinfo import available_timezones

from lumen.schema import load_admin_schema

SETTINGS_DATA = "config/settings_data.json"
THEME_ID = "gid://shopify/OnlineStoreTheme/1"
DEFAULT_TIMEZONE = "America/New_York"


def checked_sections(data: Mapping[str, Any], label: str) -> tuple[dict[str, Any], list[str]]:
    """The optional installation keys of a fixture file, and the problems found in them."""
    sections: dict[str, Any] = {}
    problems: list[str] = []
    if "app_installation" in data:
        sections["app_installation"] = _checked_installation(data["app_installation"], problems)
    if "main_theme" in data:
        sections["main_theme"] = _checked_theme(data["main_theme"], problems)
    if "iana_timezone" in data:
        if data["iana_timezone"] in available_timezones():
            sections["iana_timezone"] = data["iana_timezone"]
        else:
            problems.append("'iana_timezone' must be an IANA time zone such as Europe/Berlin")
    return sections, [f"{label}: {problem}" for problem in problems]


def root_fields(fixtures: Mapping[str, Any]) -> dict[str, Any]:
    """QueryRoot fields for the installation: currentAppInstallation and themes."""
    installation = fixtures.get("app_installation") or {"activeSubscriptions": []}
    theme = fixtures.get("main_theme")
    return {
        "currentAppInstallation": installation,
        "themes": lambda roles=None, **_: _themes(theme, roles),
    }


def _themes(theme: Mapping[str, Any] | None, roles: list[str] | None) -> list[dict[str, Any]]:
    if theme is None or (roles is not None and "MAIN" not in roles):
        return []
    content = theme["settings_data"]
    settings_file = {"filename": SETTINGS_DATA, "contentType": "application/json",
                     "body": {"__typename": "OnlineStoreThemeFileBodyText", "content": content}}
    return [{"id": THEME_ID, "name": theme["name"], "role": "MAIN",
             "files": lambda filenames=None, **_: (
                 [settings_file] if filenames is None or SETTINGS_DATA in filenames else [])}]


def _checked_installation(value: Any, problems: list[str]) -> dict[str, Any]:
    subscriptions = value.get("activeSubscriptions") if isinstance(value, Mapping) else None
    if not isinstance(subscriptions, list):
        problems.append("'app_installation' must be {\"activeSubscriptions\": [...]}")
        return {"activeSubscriptions": []}
    statuses = load_admin_schema().get_type("AppSubscriptionStatus").values
    for subscription in subscriptions:
        if not (isinstance(subscription, Mapping) and isinstance(subscription.get("name"), str)
                and subscription.get("status") in statuses):
            problems.append("each active subscription needs a 'name' and a 'status' "
                            f"({', '.join(statuses)})")
    return {"activeSubscriptions": [{"name": s.get("name"), "status": s.get("status")}
                                    for s in subscriptions if isinstance(s, Mapping)]}


def _checked_theme(value: Any, problems: list[str]) -> dict[str, Any] | None:
    if not isinstance(value, Mapping) or not isinstance(value.get("name"), str):
        problems.append("'main_theme' must be {\"name\": ..., \"settings_data\": ...}")
        return None
    settings = value.get("settings_data", {"current": {}})
    if isinstance(settings, Mapping):
        settings = json.dumps(settings, indent=2)
    if not isinstance(settings, str):
        problems.append("'main_theme.settings_data' must be a JSON object or the file's text")
        return None
    return {"name": value["name"], "settings_data": settings}
