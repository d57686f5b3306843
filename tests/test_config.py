"""Configuration is read from the environment and fails fast, naming the bad setting."""

import pytest
from cryptography.fernet import Fernet

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
        ("LUMEN_RETENTION_DAYS", "٣٠"),
        ("LUMEN_PLAN_LIMITS", "free=²"),
        ("LUMEN_TRUSTED_PROXY_HOPS", "-1"),
        ("LUMEN_TRUSTED_PROXY_HOPS", "²"),
        ("LUMEN_TRUSTED_PROXY_HOPS", "one"),
        ("LUMEN_ENCRYPTION_KEYS", "not-a-fernet-key"),
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


PRODUCTION = {"LUMEN_ENV": "production", "REDIS_URL": "redis://127.0.0.1:6379/0",
              "SHOPIFY_API_KEY": "key", "SHOPIFY_API_SECRET": "secret",
              "LUMEN_SECRET_KEY": "s" * 32, "LUMEN_EMAIL_HASH_KEY": "h" * 32,
              "LUMEN_ENCRYPTION_KEYS": Fernet.generate_key().decode()}


def test_production_refuses_sqlite():
    with pytest.raises(ConfigError, match="DATABASE_URL must be a PostgreSQL URL"):
        load_config({**PRODUCTION, "DATABASE_URL": "sqlite:////tmp/lumen.db"})
    config = load_config({**PRODUCTION, "DATABASE_URL": "postgresql://lumen@db/lumen"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://lumen@db/lumen"


@pytest.mark.parametrize("hops", ["0", "1", "2"])
def test_trusted_proxy_hops_are_read(hops):
    assert load_config({"LUMEN_TRUSTED_PROXY_HOPS": hops})["LUMEN_TRUSTED_PROXY_HOPS"] == int(hops)
    assert load_config({})["LUMEN_TRUSTED_PROXY_HOPS"] == 0


def test_a_malformed_encryption_key_names_its_position_but_never_the_key():
    good = Fernet.generate_key().decode()
    secret_looking = "c2VjcmV0LWJ1dC1ub3QtMzItYnl0ZXM="
    with pytest.raises(ConfigError) as error:
        load_config({"LUMEN_ENCRYPTION_KEYS": f"{good},{secret_looking}"})
    assert "key 2 of 2" in str(error.value)
    assert secret_looking not in str(error.value) and good not in str(error.value)


def test_the_app_refuses_to_start_with_a_malformed_encryption_key(tmp_path):
    from lumen import create_app

    with pytest.raises(ConfigError, match="LUMEN_ENCRYPTION_KEYS is malformed: key 1 of 1"):
        create_app({"LUMEN_ENCRYPTION_KEYS": "oops", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "LUMEN_INSTANCE_PATH": str(tmp_path)}, environ={})
