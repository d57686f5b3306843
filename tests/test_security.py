"""Tokens are encrypted at rest; emails are only kept as keyed hashes; text is redacted."""

import pytest
from sqlalchemy import text

from lumen import security
from lumen.extensions import db
from lumen.models import Conversation, Message, Role, Shop


def test_access_token_is_ciphertext_in_the_database_and_plaintext_in_code(create_shop):
    shop = create_shop(access_token="shpat_secret_value", refresh_token="shprt_refresh_value")
    raw = db.session.execute(
        text("SELECT access_token, refresh_token FROM shops WHERE id = :id"), {"id": shop.id}
    ).one()
    assert "shpat_secret_value" not in raw.access_token
    assert "shprt_refresh_value" not in raw.refresh_token
    db.session.expire_all()
    reloaded = db.session.get(Shop, shop.id)
    assert reloaded.access_token == "shpat_secret_value"
    assert reloaded.refresh_token == "shprt_refresh_value"


def test_rotated_keys_still_decrypt(app, create_shop):
    from cryptography.fernet import Fernet

    shop = create_shop(access_token="shpat_before_rotation")
    old_key = app.config["LUMEN_ENCRYPTION_KEYS"]
    app.config["LUMEN_ENCRYPTION_KEYS"] = f"{Fernet.generate_key().decode()},{old_key}"
    db.session.expire_all()
    assert db.session.get(Shop, shop.id).access_token == "shpat_before_rotation"


def test_wrong_key_raises_a_clear_error(app, create_shop):
    from cryptography.fernet import Fernet

    shop = create_shop()
    app.config["LUMEN_ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
    db.session.expire_all()
    with pytest.raises(security.DecryptionError, match="LUMEN_ENCRYPTION_KEYS"):
        _ = db.session.get(Shop, shop.id).access_token


def test_email_hash_is_keyed_and_normalised(app):
    digest = security.email_hash("  Alex.Rivera@Example.com ")
    assert digest == security.email_hash("alex.rivera@example.com")
    assert "alex" not in digest and len(digest) == 64
    app.config["LUMEN_EMAIL_HASH_KEY"] = "another-key-" + "z" * 40
    assert security.email_hash("alex.rivera@example.com") != digest


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("my email is Alex.Rivera+shop@example.co.uk thanks",
         "my email is [email] thanks"),
        ("call me on +1 (415) 555-0134 please", "call me on [phone] please"),
        ("07700 900123", "[phone]"),
        ("order #1042 please", "order #1042 please"),
        ("order 100234 from last week", "order 100234 from last week"),
    ],
)
def test_redaction(raw, expected):
    assert security.redact(raw) == expected


def test_messages_are_redacted_on_assignment(create_shop):
    shop = create_shop()
    conversation = Conversation(shop_id=shop.id)
    message = Message(role=Role.SHOPPER, text="it's jo@example.com, +44 7700 900123")
    conversation.messages.append(message)
    db.session.add(conversation)
    db.session.commit()
    stored = db.session.execute(text("SELECT text FROM messages")).scalar_one()
    assert stored == "it's [email], [phone]"


def test_a_failing_token_write_never_puts_the_token_in_the_error(app, caplog):
    import traceback

    app.config["LUMEN_ENCRYPTION_KEYS"] = "broken-after-start-up"
    db.session.add(Shop(domain="leak.myshopify.com", access_token="shpat_plaintext_4242"))
    with pytest.raises(Exception) as error:
        db.session.commit()
    db.session.rollback()
    told = "".join(traceback.format_exception(error.value)) + caplog.text
    assert "shpat_plaintext_4242" not in told


def test_database_errors_never_show_statement_parameters(app, create_shop):
    from sqlalchemy.exc import IntegrityError

    create_shop(domain="twice.myshopify.com")
    db.session.add(Shop(domain="twice.myshopify.com", access_token="shpat_second_9999",
                        scopes="read_orders"))
    with pytest.raises(IntegrityError) as error:
        db.session.commit()
    db.session.rollback()
    assert "twice.myshopify.com" not in str(error.value)
    assert "hidden due to hide_parameters" in str(error.value)
