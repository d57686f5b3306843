"""The single Admin API version Lumen speaks (kept apart so config can import it cheaply)."""

API_VERSION = "2026-04"
