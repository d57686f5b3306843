"""The shipped intent model: current with its phrasings, faithful to scikit-learn, small."""

from __future__ import annotations

import gzip
import json
from importlib.resources import files

import numpy as np
import pytest

from lumen.conversation.intents import (
    MODEL_FILE,
    IntentModel,
    classify,
    load,
    shipped_model,
)
from lumen.conversation.intents.examples import examples, expand, noisy
from lumen.conversation.intents.train import fingerprint, fit, model_document

SHIPPED = files("lumen.conversation.intents") / MODEL_FILE


def test_the_shipped_model_is_current_with_the_phrasings():
    assert shipped_model().fingerprint == fingerprint(examples()), (
        "the intent model is stale: run python -m lumen.conversation.intents.train")


def test_the_runtime_computes_what_scikit_learn_computes():
    found = examples()[::9]
    texts, labels = [e.text for e in found], [e.intent for e in found]
    vectorizer, model = fit(texts, labels)
    ours = IntentModel(model_document(vectorizer, model, 1.0))
    probes = ["where is my parcel??", "I WANT A REFUND NOW", "talkk to a human pls",
              "do you ship to canada", "", "zzz"]
    expected = model.predict_proba(vectorizer.transform(probes))
    got = np.array([ours.probabilities(text) for text in probes])
    assert list(ours.classes) == list(model.classes_)
    assert np.abs(got - expected).max() < 0.02  # int8 weights


def test_the_model_file_is_small_json_that_runs_no_code():
    raw = SHIPPED.read_bytes()
    assert len(raw) < 600_000
    document = json.loads(gzip.decompress(raw))
    assert document["format"] == 1 and document["trained_with"].startswith("scikit-learn")
    with pytest.raises(ValueError, match="format"):
        load(gzip.compress(json.dumps({**document, "format": 99}).encode()))


def test_predictions_are_deterministic_and_calibrated_probabilities():
    first, again = classify("hasnt arived yet"), classify("hasnt arived yet")
    assert first == again
    assert sum(first.probabilities.values()) == pytest.approx(1.0)
    assert first.confidence >= first.runner_up_confidence


def test_the_phrasings_expand_reproducibly():
    assert [e.text for e in examples()[:200]] == [e.text for e in examples()[:200]]
    import random
    assert expand("[a|b] {my} x", random.Random(1)) == [
        f"{first} {my} x" for first in "ab" for my in ("my", "the", "our", "this", "mine")]
    variants = {noisy("where is my order", random.Random(seed)) for seed in range(30)}
    assert len(variants) > 10 and "where is my order" in {v.lower() for v in variants}


def test_the_main_intents_have_several_hundred_phrasings():
    counts: dict[str, int] = {}
    for example in examples():
        counts[example.intent] = counts.get(example.intent, 0) + 1
    main = ("track", "eta", "not_received", "cancel", "refund", "return", "address_change",
            "damaged", "human", "product_question", "policy_returns", "policy_shipping")
    assert all(counts[intent] >= 300 for intent in main), counts


def test_the_model_file_is_package_data():
    import fnmatch
    import tomllib

    from lumen import PROJECT_ROOT

    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    assert any(fnmatch.fnmatch(MODEL_FILE, pattern) for pattern in patterns)
