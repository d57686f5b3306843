"""Reading a message as a request for a code, or as the code itself."""

from __future__ import annotations

import pytest

from lumen.conversation.codes import asks_for_code, typed_code


@pytest.mark.parametrize("text", [
    "I lost my order number", "i don't have the order number", "I dont know my order no",
    "forgot my order number, sorry", "can't find the order confirmation", "Email me a code",
    "send me a verification code please", "can I get a one-time code?",
    "I never got an order confirmation",
])
def test_asks_for_a_code(text):
    assert asks_for_code(text)


@pytest.mark.parametrize("text", [
    "where is my order?", "I don't have a tracking number yet", "what's the order number format?",
    "I lost my order number, can I talk to a person?", "has my order shipped", "",
    "is there a discount code?",
])
def test_does_not_ask_for_a_code(text):
    assert not asks_for_code(text)


@pytest.mark.parametrize(("text", "code"), [
    ("482913", "482913"), (" 482 913 ", "482913"), ("482-913", "482913"),
    ("my code is 482913", "482913"), ("Code: 482913.", "482913"), ("the code 004213", "004213"),
])
def test_reads_a_code(text, code):
    assert typed_code(text) == code


@pytest.mark.parametrize("text", ["#482913", "order 482913", "48291", "4829134",
                                  "482913 and where is it?", "1042"])
def test_does_not_read_other_numbers_as_a_code(text):
    assert typed_code(text) is None
