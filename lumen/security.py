"""Secrets at rest and personal data: token encryption, keyed email hashes, redaction."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

from lumen import redaction

EMAIL_PATTERN = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)


class DecryptionError(RuntimeError):
    """Ciphertext could not be decrypted with any configured key."""


def generate_secrets() -> dict[str, str]:
    """Fresh values for every secret Lumen needs, for development use."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "LUMEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "LUMEN_EMAIL_HASH_KEY": secrets.token_urlsafe(48),
        "SHOPIFY_API_KEY": "lumen-development-" + secrets.token_hex(8),
        "SHOPIFY_API_SECRET": secrets.token_urlsafe(32),
    }


def load_or_create_development_secrets(instance_path: str | Path) -> dict[str, str]:
    """Development secrets kept in the instance folder, so restarts can read old ciphertext."""
    path = Path(instance_path) / "development-secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    values = generate_secrets()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values, indent=2))
    path.chmod(0o600)
    return values


def _fernet() -> MultiFernet:
    return _fernet_for(current_app.config["LUMEN_ENCRYPTION_KEYS"])


@lru_cache(maxsize=8)
def _fernet_for(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(key.strip().encode()) for key in keys.split(",")])


def encrypt(plaintext: str) -> str:
    """Encrypt a secret for storage with the newest key."""
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    """Decrypt a stored secret with any configured key."""
    return _decrypt(current_app.config["LUMEN_ENCRYPTION_KEYS"], ciphertext)


# Every widget request loads its shop, and with it the access token: decrypting it each time
# (an HMAC check and AES) was a visible part of a turn's CPU. Keyed by the keys as well, so a
# key removed from the configuration stops decrypting at once.
@lru_cache(maxsize=1024)
def _decrypt(keys: str, ciphertext: str) -> str:
    try:
        return _fernet_for(keys).decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        message = "stored secret cannot be decrypted with LUMEN_ENCRYPTION_KEYS"
        raise DecryptionError(message) from None


def normalise_email(email: str) -> str:
    """The canonical form of an email address used for comparisons and hashing."""
    return email.strip().lower()


def email_hash(email: str) -> str:
    """Keyed hash (HMAC-SHA256) of a normalised email; the only trace of it Lumen keeps."""
    key = current_app.config["LUMEN_EMAIL_HASH_KEY"].encode()
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()


def keyed_digest(value: str) -> str:
    """A short keyed digest (HMAC-SHA256 with SECRET_KEY) naming shopper input in Redis keys.

    Rate-limit and attempt keys use it, so Redis holds no IP address or raw shopper input.
    """
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, value.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:32]


def redact(text: str, *, phones: bool = True) -> str:
    """Replace emails, phone numbers (unless ``phones`` is False), addresses and link secrets."""
    return redaction.redact(text, phones=phones)
