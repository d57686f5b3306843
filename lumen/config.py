"""Settings read from the environment, validated once at start-up.

Every setting has a parser, so a malformed value fails fast with a message that names it, and
every ``LUMEN_*`` variable must be known, so a typo does not silently fall back to a default.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet

from lumen.mail import parse_sender, parse_smtp_url
from lumen.shopify import API_VERSION


class ConfigError(ValueError):
    """A setting is unknown, missing or malformed; the message names it."""


def _url(schemes: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        """The URL itself, once its scheme is one of ``schemes``."""
        parts = urlsplit(raw)
        if parts.scheme.split("+")[0] not in schemes or not (parts.netloc or parts.path):
            raise ValueError(f"expected a URL starting with one of {', '.join(schemes)}")
        return raw

    return parse


def _positive_int(raw: str) -> int:
    # ASCII digits only: int() would also take other scripts' digits.
    value = int(raw) if raw.isascii() and raw.isdecimal() else 0
    if value <= 0:
        raise ValueError("expected a whole number above 0")
    return value


def _hop_count(raw: str) -> int:
    # ASCII digits only: int() would also take other scripts' digits.
    if not (raw.isascii() and raw.isdecimal()) or int(raw) > 10:
        raise ValueError("expected a whole number from 0 to 10")
    return int(raw)


def check_encryption_keys(raw: str) -> None:
    """ConfigError unless every comma-separated LUMEN_ENCRYPTION_KEYS entry is a Fernet key."""
    try:
        _encryption_keys(raw)
    except ValueError as error:
        raise ConfigError(f"LUMEN_ENCRYPTION_KEYS is malformed: {error}") from None


def _encryption_keys(raw: str) -> str:
    """The comma-separated Fernet keys, each checked; errors never repeat a key."""
    keys = [key.strip() for key in raw.split(",")]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            raise ValueError(f"key {position} of {len(keys)} is not a Fernet key (32 url-safe "
                             "base64-encoded bytes)") from None
    return raw


def _positive_float(raw: str) -> float:
    value = float(raw)
    if value <= 0:
        raise ValueError("expected a number above 0")
    return value


def _secret(raw: str) -> str:
    if len(raw) < 32:
        raise ValueError("expected at least 32 characters")
    return raw


def _choice(*options: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        """The value itself, once it is one of ``options``."""
        if raw not in options:
            raise ValueError(f"expected one of {', '.join(options)}")
        return raw

    return parse


def _api_version(raw: str) -> str:
    if not re.fullmatch(r"\d{4}-(01|04|07|10)", raw):
        raise ValueError("expected a Shopify API version such as 2026-04")
    return raw


def _text(raw: str) -> str:
    if not raw.strip():
        raise ValueError("must not be empty")
    return raw


DEFAULT_PLAN_LIMITS = {"free": 100, "pro": 2000, "pro_plus": 10000}
DEFAULT_GEMINI_MODEL = "gemini-3.1-flash-lite"
DEFAULT_LLM_DEADLINE = 4.0


def _plan_limits(raw: str) -> dict[str, int]:
    """Monthly conversation limits as "plan=number" pairs; plans left out keep their default."""
    limits = dict(DEFAULT_PLAN_LIMITS)
    for pair in raw.split(","):
        plan, _, number = (part.strip() for part in pair.partition("="))
        if plan not in limits or not (number.isascii() and number.isdecimal()):
            raise ValueError("expected plan=number pairs such as free=100,pro=2000,pro_plus=10000")
        limits[plan] = int(number)
    return limits


@dataclass(frozen=True)
class Setting:
    """One environment variable: the config key it fills, its parser and what it means."""

    env: str
    key: str
    parse: Callable[[str], Any]
    help: str
    default: Any = None


SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", "SQLALCHEMY_DATABASE_URI", _url(("postgresql", "postgres", "sqlite")),
            "Database; default SQLite in the instance folder."),
    Setting("REDIS_URL", "REDIS_URL", _url(("redis", "rediss", "unix")),
            "Redis for sessions, limits and RQ; default an in-process stand-in, jobs inline."),
    Setting("SHOPIFY_API_KEY", "SHOPIFY_API_KEY", _text, "App client id (Partner dashboard)."),
    Setting("SHOPIFY_API_SECRET", "SHOPIFY_API_SECRET", _text,
            "App client secret; signs proxy requests, webhooks and session tokens."),
    Setting("SHOPIFY_API_SECRET_OLD", "SHOPIFY_API_SECRET_OLD", _text,
            "The previous client secret while Shopify rotates it; every signature check "
            "(app proxy, webhooks, session tokens) also accepts it."),
    Setting("GEMINI_API_KEY", "GEMINI_API_KEY", _text, "Gemini key; without it the LLM is off."),
    Setting("LUMEN_GEMINI_MODEL", "LUMEN_GEMINI_MODEL", _text,
            "Gemini model for understanding and voice; a fast Flash-Lite class model.",
            DEFAULT_GEMINI_MODEL),
    Setting("LUMEN_GEMINI_BASE_URL", "LUMEN_GEMINI_BASE_URL", _url(("http", "https")),
            "Gemini API base URL (a gateway or test fake); default the SDK's, which also "
            "honours GOOGLE_GEMINI_BASE_URL."),
    Setting("LUMEN_LLM_DEADLINE", "LUMEN_LLM_DEADLINE", _positive_float,
            "Seconds a turn waits for Gemini before answering with the template.",
            DEFAULT_LLM_DEADLINE),
    Setting("LUMEN_ENV", "LUMEN_ENV", _choice("development", "production"),
            "production requires every secret and real services.", "development"),
    Setting("LUMEN_SECRET_KEY", "SECRET_KEY", _secret, "Signs widget session tokens."),
    Setting("LUMEN_ENCRYPTION_KEYS", "LUMEN_ENCRYPTION_KEYS", _encryption_keys,
            "Comma-separated Fernet keys for access tokens at rest; first encrypts, all decrypt."),
    Setting("LUMEN_EMAIL_HASH_KEY", "LUMEN_EMAIL_HASH_KEY", _secret,
            "HMAC key for the keyed hash of shopper emails (GDPR look-ups)."),
    Setting("LUMEN_SHOPIFY_API_VERSION", "SHOPIFY_API_VERSION", _api_version,
            "Admin API version; must match shopify.app.toml.", API_VERSION),
    Setting("LUMEN_SHOPIFY_ADMIN_URL", "LUMEN_SHOPIFY_ADMIN_URL", _url(("http", "https")),
            "Base URL of the Admin API stand-in (the development store); unset in production."),
    Setting("LUMEN_SHOPIFY_TIMEOUT", "LUMEN_SHOPIFY_TIMEOUT", _positive_float,
            "Seconds before a Shopify request times out.", 5.0),
    Setting("LUMEN_RETENTION_DAYS", "LUMEN_RETENTION_DAYS", _positive_int,
            "Default retention of conversations, in days.", 90),
    Setting("LUMEN_INSTANCE_PATH", "LUMEN_INSTANCE_PATH", _text,
            "Folder for the embedded SQLite database and development secrets."),
    Setting("LUMEN_TRUSTED_PROXY_HOPS", "LUMEN_TRUSTED_PROXY_HOPS", _hop_count,
            "How many X-Forwarded-For entries our own load balancers append after Shopify's; "
            "skipped when reading the shopper's IP.", 0),
    Setting("LUMEN_PLAN_LIMITS", "LUMEN_PLAN_LIMITS", _plan_limits,
            "Monthly conversations per plan, e.g. free=100,pro=2000,pro_plus=10000.",
            DEFAULT_PLAN_LIMITS),
    Setting("LUMEN_APP_HANDLE", "LUMEN_APP_HANDLE", _text,
            "The app's handle (shopify.app.toml); links the admin to its plan selection page.",
            "lumen"),
    Setting("LUMEN_SMTP_URL", "LUMEN_SMTP_URL", parse_smtp_url,
            "SMTP server for escalation alerts: smtp://user:pass@host:port (add ?starttls=1) "
            "or smtps://user:pass@host:port; unset in development: the demo outbox."),
    Setting("LUMEN_MAIL_FROM", "LUMEN_MAIL_FROM", parse_sender,
            "The From of Lumen's mail, e.g. Lumen <alerts@yourdomain.com>; required with "
            "LUMEN_SMTP_URL."),
    Setting("LUMEN_SMTP_TIMEOUT", "LUMEN_SMTP_TIMEOUT", _positive_float,
            "Seconds before an SMTP connection or command times out.", 10.0),
    Setting("LUMEN_LOG_LEVEL", "LUMEN_LOG_LEVEL",
            _choice("DEBUG", "INFO", "WARNING", "ERROR"), "Log level.", "INFO"),
)

_PRODUCTION_REQUIRED = (
    "DATABASE_URL", "REDIS_URL", "SHOPIFY_API_KEY", "SHOPIFY_API_SECRET",
    "LUMEN_SECRET_KEY", "LUMEN_ENCRYPTION_KEYS", "LUMEN_EMAIL_HASH_KEY",
)


def load_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Parse and validate every setting from ``environ`` (default: ``os.environ``)."""
    environ = os.environ if environ is None else environ
    known = {setting.env for setting in SETTINGS}
    unknown = sorted(name for name in environ if name.startswith("LUMEN_") and name not in known)
    if unknown:
        raise ConfigError(f"unknown setting {unknown[0]}; known LUMEN_* settings: "
                          + ", ".join(sorted(n for n in known if n.startswith("LUMEN_"))))
    config = {setting.key: _parse(setting, environ.get(setting.env)) for setting in SETTINGS}
    if config["LUMEN_ENV"] == "production":
        missing = [name for name in _PRODUCTION_REQUIRED if not environ.get(name)]
        if missing:
            raise ConfigError(f"{missing[0]} is required when LUMEN_ENV=production")
        if not str(config["SQLALCHEMY_DATABASE_URI"]).startswith(("postgresql", "postgres")):
            raise ConfigError("DATABASE_URL must be a PostgreSQL URL when LUMEN_ENV=production "
                              "(SQLite is for development only)")
    if config["LUMEN_SMTP_URL"] and not config["LUMEN_MAIL_FROM"]:
        raise ConfigError("LUMEN_MAIL_FROM is required when LUMEN_SMTP_URL is set")
    if config["SQLALCHEMY_DATABASE_URI"]:
        config["SQLALCHEMY_DATABASE_URI"] = _sqlalchemy_url(config["SQLALCHEMY_DATABASE_URI"])
    return config


def _parse(setting: Setting, raw: str | None) -> Any:
    if raw is None or raw == "":
        return setting.default
    try:
        return setting.parse(raw)
    except ValueError as error:
        raise ConfigError(f"{setting.env} is malformed: {error} ({setting.env}: "
                          f"{setting.help})") from None


def _sqlalchemy_url(url: str) -> str:
    """Point PostgreSQL URLs at psycopg 3, the driver Lumen installs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
