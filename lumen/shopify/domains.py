"""What a shop's permanent domain looks like: ``NAME.myshopify.com``, and what follows from it."""

import re

SUFFIX = ".myshopify.com"
SHOP_DOMAIN = re.compile(r"[a-z0-9][a-z0-9-]*\.myshopify\.com")


def is_shop_domain(value: object) -> bool:
    """True for a string that is exactly a myshopify.com shop domain."""
    return isinstance(value, str) and SHOP_DOMAIN.fullmatch(value) is not None


def shop_handle(domain: str) -> str:
    """The shop's handle: ``NAME`` of ``NAME.myshopify.com``."""
    return domain.removesuffix(SUFFIX)


def shop_domain(handle: str) -> str:
    """The permanent domain of the shop whose handle is ``handle``."""
    return f"{handle}{SUFFIX}"


def store_name(domain: str) -> str:
    """A readable store name from its myshopify domain ("blue-fox" -> "Blue Fox")."""
    return shop_handle(domain).replace("-", " ").title()
