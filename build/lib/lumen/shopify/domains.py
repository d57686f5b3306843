"""What a shop's permanent domain looks like: ``NAME.myshopify.com``."""

import re

SHOP_DOMAIN = re.compile(r"[a-z0-9][a-z0-9-]*\.myshopify\.com")


def is_shop_domain(value: object) -> bool:
    """True for a string that is exactly a myshopify.com shop domain."""
    return isinstance(value, str) and SHOP_DOMAIN.fullmatch(value) is not None
