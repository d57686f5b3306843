"""Configuration is read from the environment and fails fast, naming the bad setting."""

import pytest

from lumen.config import ConfigError, load_config
from lumen.shopify import API_VERSION


def test_embedded_default_needs_no_settings():
    config = load_config({})
    assert config["SQLALCHEMY_DATABASE_URI"] is None
    assert config["REDIS_URL"] is None
    assert config["GEMINI_API_KEY"] is None
    assert config["SHOPIFY_API_VERSION"] == API_VERSION
    assert config["LUMEN_RETENTION_DAYS"] == 90


def test_postgres_urls_use_psycopg3():
    config = load_config({"DATABASE_URL": "postgres://u@db:5432/lumen"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db:5432/lumen"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://root@localhost/lumen"),
        ("REDIS_URL", "localhost:6379"),
        ("LUMEN_RETENTION_DAYS", "ninety"),
        ("LUMEN_RETENTION_DAYS", "0"),
        ("LUMEN_SHOPIFY_API_VERSION", "2026-05"),
        ("LUMEN_SECRET_KEY", "short"),
        ("LUMEN_ENV", "staging"),
        ("LUMEN_SHOPIFY_TIMEOUT", "-1"),
        ("SHOPIFY_API_KEY", "   "),
    ],
)
def test_malformed_setting_is_named(name, value):
    with pytest.raises(ConfigError, match=rf"^{name} is malformed"):
        load_config({name: value})


def test_unknown_lumen_setting_is_named():
    with pytest.raises(ConfigError, match="unknown setting LUMEN_RETENTON_DAYS"):
        load_config({"LUMEN_RETENTON_DAYS": "30"})


def test_production_requires_every_secret():
    with pytest.raises(ConfigError, match="DATABASE_URL is required when LUMEN_ENV=production"):
        load_config({"LUMEN_ENV": "production"})


def test_cli_reports_config_errors(monkeypatch, capsys):
    from lumen.cli import main

    monkeypatch.setenv("LUMEN_RETENTION_DAYS", "soon")
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--port", "0"])
    assert "LUMEN_RETENTION_DAYS is malformed" in str(exit_info.value)


def test_a_malformed_setting_says_what_it_means():
    with pytest.raises(ConfigError, match=r"LUMEN_TRUSTED_PROXY_HOPS: How many X-Forwarded-For"):
        load_config({"LUMEN_TRUSTED_PROXY_HOPS": "-1"})
