"""Train the intent model and write the file the package ships.

    python -m lumen.conversation.intents.train           # write model.json.gz
    python -m lumen.conversation.intents.train --check   # exit 1 when the shipped one is stale

scikit-learn fits a TF-IDF (sublinear tf, the features of ``features.analyse``) and a
multinomial logistic regression; a temperature fitted on held-out templates calibrates its
probabilities. The result is stored as JSON (vocabulary, idf, int8 coefficients with one scale
per intent): loading it runs no code, unlike a pickle, and needs neither scikit-learn nor a
matching version of it at run time.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from sklearn import __version__ as sklearn_version
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from lumen.conversation.intents import features
from lumen.conversation.intents.examples import Example, examples

MODEL_PATH = Path(__file__).with_name("model.json.gz")
FORMAT = 1
SETTINGS = {"C": 8.0, "min_df": 2, "max_features": 14000, "folds": 5, "max_iter": 2000}


def fingerprint(found: list[Example]) -> str:
    """A digest of everything the model is built from: examples, settings, feature code."""
    digest = hashlib.sha256()
    digest.update(json.dumps([[e.text, e.intent] for e in found]).encode())
    digest.update(json.dumps(SETTINGS, sort_keys=True).encode())
    digest.update(Path(features.__file__).read_bytes())
    digest.update(str(FORMAT).encode())
    return digest.hexdigest()


def fit(texts: list[str], labels: list[str]) -> tuple[TfidfVectorizer, LogisticRegression]:
    """The vectoriser and classifier fitted on the texts."""
    vectorizer = TfidfVectorizer(analyzer=features.analyse, sublinear_tf=True,
                                 min_df=SETTINGS["min_df"],
                                 max_features=SETTINGS["max_features"])
    matrix = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=SETTINGS["C"], max_iter=SETTINGS["max_iter"],
                               class_weight="balanced")
    model.fit(matrix, labels)
    return vectorizer, model


def held_out_logits(found: list[Example]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Logits for every example from models that never saw its template, and true indices."""
    texts = [e.text for e in found]
    labels = np.array([e.intent for e in found])
    classes = sorted(set(labels))
    logits = np.zeros((len(found), len(classes)))
    folds = GroupKFold(n_splits=SETTINGS["folds"])
    for train, test in folds.split(texts, labels, groups=[e.template for e in found]):
        vectorizer, model = fit([texts[i] for i in train], list(labels[train]))
        scores = model.decision_function(vectorizer.transform([texts[i] for i in test]))
        columns = [classes.index(name) for name in model.classes_]
        logits[np.ix_(test, columns)] = scores
        missing = [i for i, name in enumerate(classes) if name not in model.classes_]
        logits[np.ix_(test, missing)] = -np.inf
    truth = np.array([classes.index(label) for label in labels])
    # An intent written as a single template cannot be held out; its examples are left out.
    known = np.isfinite(logits[np.arange(len(truth)), truth])
    return logits[known], truth[known], classes


def temperature(logits: np.ndarray, truth: np.ndarray) -> float:
    """The softmax temperature that minimises held-out negative log-likelihood."""
    def nll(value: float) -> float:
        scaled = logits / value
        scaled = scaled - scaled.max(axis=1, keepdims=True)
        log_probs = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        return float(-log_probs[np.arange(len(truth)), truth].mean())
    candidates = [round(0.2 + 0.05 * step, 2) for step in range(117)]
    return min(candidates, key=nll)


def _int8(matrix: np.ndarray) -> tuple[str, list[float]]:
    """Coefficients as base64 int8, one scale per row (intent)."""
    scales = np.abs(matrix).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    quantised = np.round(matrix / scales[:, None]).astype(np.int8)
    return base64.b64encode(quantised.T.copy().tobytes()).decode(), [float(s) for s in scales]


def build() -> dict:
    """Train on the current phrasings and return the model document."""
    found = examples()
    logits, truth, _ = held_out_logits(found)
    vectorizer, model = fit([e.text for e in found], [e.intent for e in found])
    document = model_document(vectorizer, model, temperature(logits, truth))
    document.update(fingerprint=fingerprint(found), examples=len(found),
                    held_out_accuracy=round(float((logits.argmax(axis=1) == truth).mean()), 4))
    return document


def model_document(vectorizer: TfidfVectorizer, model: LogisticRegression,
                   temp: float) -> dict:
    """The fitted vectoriser and classifier in the shipped JSON form."""
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    weights, scales = _int8(model.coef_)
    return {
        "format": FORMAT,
        "fingerprint": "",
        "trained_with": f"scikit-learn {sklearn_version}",
        "temperature": temp,
        "classes": [str(name) for name in model.classes_],
        "intercepts": [round(float(value), 6) for value in model.intercept_],
        "features": vocabulary,
        "idf": [round(float(value), 5) for value in vectorizer.idf_],
        "scales": scales,
        "weights_int8": weights,
    }


def write(document: dict, path: Path = MODEL_PATH) -> None:
    """Write the model file reproducibly (no timestamp in the gzip header)."""
    raw = json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
    path.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))


def shipped_fingerprint(path: Path = MODEL_PATH) -> str | None:
    """The fingerprint recorded in the shipped model file, if there is one."""
    if not path.is_file():
        return None
    return json.loads(gzip.decompress(path.read_bytes())).get("fingerprint")


def main(argv: list[str] | None = None) -> int:
    """Train and write the model, or with --check report whether it is current."""
    parser = argparse.ArgumentParser(description="Train Lumen's intent model.")
    parser.add_argument("--check", action="store_true", help="only check the shipped file")
    args = parser.parse_args(argv)
    current = fingerprint(examples())
    if args.check:
        stale = shipped_fingerprint() != current
        print("stale: run python -m lumen.conversation.intents.train" if stale else "current")
        return int(stale)
    document = build()
    write(document)
    print(f"{document['examples']} examples, {len(document['classes'])} intents, "
          f"{len(document['features'])} features, held-out accuracy "
          f"{document['held_out_accuracy']:.1%}, temperature {document['temperature']}, "
          f"{MODEL_PATH.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
