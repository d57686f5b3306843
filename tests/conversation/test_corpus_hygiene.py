"""The shared corpus is a yardstick, not material: none of its lines is a training example or a
test message. It is read here, at test time, from outside the repository."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from lumen import PROJECT_ROOT
from lumen.conversation.intents.examples import examples
from lumen.conversation.understanding import normalise

TESTS = Path(__file__).resolve().parents[1]
PACKAGE = PROJECT_ROOT / "lumen"
INTENTS = PACKAGE / "conversation" / "intents"
_QUOTED = re.compile(r'"([^"\n]+)"')


def corpus_path() -> Path | None:
    """``shared/corpus/utterances.jsonl`` beside one of the project's parent folders."""
    for parent in PROJECT_ROOT.resolve().parents:
        candidate = parent / "shared" / "corpus" / "utterances.jsonl"
        if candidate.is_file():
            return candidate
    return None


def comparable(text: str) -> str:
    """A line as the comparison sees it: the understanding layer's normal form (case,
    apostrophes, punctuation and spacing dropped; "what's" and "whats" both "what is")."""
    return normalise(text)


@pytest.fixture(scope="module")
def corpus_lines() -> frozenset[str]:
    """Every corpus line, comparable; the test needs the corpus beside the checkout."""
    path = corpus_path()
    if path is None:
        pytest.skip("the shared corpus is not beside this checkout (../shared/corpus/)")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return frozenset(comparable(row["text"]) for row in rows) - {""}


def test_no_training_example_is_a_corpus_line(corpus_lines):
    copied = sorted({e.text for e in examples() if comparable(e.text) in corpus_lines})
    assert not copied, f"{len(copied)} generated phrasings equal corpus lines: {copied[:20]}"


def string_constants(path: Path) -> set[str]:
    """Every string literal in a Python file (f-strings' literal parts included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def json_strings(value: object) -> set[str]:
    """Every string anywhere inside a JSON document."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        return set().union(*map(json_strings, value)) if value else set()
    return set()


def strings_in_tests() -> set[str]:
    """Every string the tests hold, from Python sources and JSON fixtures."""
    found: set[str] = set()
    for path in TESTS.rglob("*.py"):
        found |= string_constants(path)
    for path in TESTS.rglob("*.json"):
        found |= json_strings(json.loads(path.read_text(encoding="utf-8")))
    return found


def product_strings() -> set[str]:
    """What the product itself says, comparable: its buttons ("Where is my order?"), reply
    words, and the phrases the seed scenarios (product documents) require to work. A test
    pressing the widget's own button sends the product's text, not the corpus's."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if INTENTS not in path.parents:
            found |= {comparable(text) for text in string_constants(path)}
    shared = corpus_path()
    for path in (shared.parents[1] / "seeds").glob("*.txt") if shared else ():
        found |= {comparable(text) for text in _QUOTED.findall(path.read_text(encoding="utf-8"))}
    return found


def test_no_test_message_is_a_corpus_line(corpus_lines):
    # A sentence has two words or more: single words ("refund", "status") are also intent
    # names, dictionary keys and labels, which no corpus line can be the source of.
    own = product_strings()
    copied = sorted(text for text in strings_in_tests()
                    if len(comparable(text).split()) >= 2 and comparable(text) in corpus_lines
                    and comparable(text) not in own)
    assert not copied, f"{len(copied)} test strings equal corpus lines: {copied[:20]}"


def test_the_comparison_ignores_case_punctuation_and_spacing():
    assert comparable("  Whose   teal KAYAK's, this?!") == comparable("whose teal kayaks this")
    assert comparable("a teal kayak") != comparable("a red kayak")
