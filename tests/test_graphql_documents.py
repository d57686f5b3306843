"""Every GraphQL document anywhere in the app validates against Shopify's 2026-04 Admin schema.

Documents are found by scanning every module of ``lumen`` (except the development store, which
answers queries rather than sending them) for string constants that are GraphQL operations, so
a document added anywhere later is checked without being listed here.
"""

import importlib
import pkgutil
import re

import pytest

import lumen
from lumen.schema import validate_document
from lumen.shopify import queries

OPERATION = re.compile(r"^\s*(query|mutation)\b[\s\S]*\{")
NOT_SENT = ("lumen.devstore", "lumen.schema")


def app_documents() -> dict[str, str]:
    """``module.NAME`` -> document for every GraphQL operation constant in the app."""
    found = {}
    for module_info in pkgutil.walk_packages(lumen.__path__, "lumen."):
        if module_info.name.startswith(NOT_SENT) or module_info.name == "lumen.schedule":
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if isinstance(value, str) and name.isupper() and OPERATION.match(value):
                found[f"{module_info.name}.{name}"] = value
    return found


DOCUMENTS = app_documents()


def test_the_scan_finds_the_documents_the_app_sends():
    names = set(DOCUMENTS)
    assert {"lumen.shopify.queries.ORDER_LOOKUP", "lumen.shopify.queries.ORDER_CANDIDATES",
            "lumen.shopify.queries.CURRENT_SUBSCRIPTIONS"} <= names
    assert any("theme" in name.lower() for name in names)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_validates_against_the_admin_schema(name):
    assert validate_document(DOCUMENTS[name]) == []


def test_every_document_is_defined_in_the_shopify_queries_module():
    defined = {value for value in vars(queries).values() if isinstance(value, str)}
    assert [name for name, document in DOCUMENTS.items() if document not in defined] == []
