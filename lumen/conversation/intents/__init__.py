"""The trained intent model: what a shopper's message asks for, with a calibrated confidence.

A linear model over word and character n-grams (see ``features``), trained by
``python -m lumen.conversation.intents.train`` on the team's phrasings (``phrasings``) and
shipped as ``model.json.gz``. Classifying is a few dictionary look-ups and one small matrix
product in numpy: deterministic, CPU only, no network, well under a millisecond.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np

from lumen.conversation.intents.features import analyse

MODEL_FILE = "model.json.gz"
SUPPORTED_FORMAT = 1


@dataclass(frozen=True)
class Prediction:
    """The most likely intent, its calibrated probability, and the next most likely one."""

    intent: str
    confidence: float
    runner_up: str
    runner_up_confidence: float
    probabilities: Mapping[str, float] = field(default_factory=dict, compare=False, repr=False)

    def share(self, intents: Collection[str]) -> float:
        """The probability that the message is any one of ``intents``."""
        return sum(self.probabilities.get(intent, 0.0) for intent in intents)


class IntentModel:
    """A loaded model document (see train.build for its fields)."""

    def __init__(self, document: dict[str, Any]):
        if document.get("format") != SUPPORTED_FORMAT:
            raise ValueError(f"unsupported intent model format {document.get('format')!r}")
        self.classes: tuple[str, ...] = tuple(document["classes"])
        self.fingerprint: str = document["fingerprint"]
        self.temperature = float(document["temperature"])
        self.index = {name: i for i, name in enumerate(document["features"])}
        self.idf = np.asarray(document["idf"], dtype=np.float64)
        raw = np.frombuffer(base64.b64decode(document["weights_int8"]), dtype=np.int8)
        scales = np.asarray(document["scales"], dtype=np.float64)
        # One row per feature, so a message's few features are one fancy-indexing gather.
        self.weights = raw.reshape(len(self.index), len(self.classes)) * scales
        self.intercepts = np.asarray(document["intercepts"], dtype=np.float64)

    def logits(self, text: str) -> np.ndarray:
        """The model's raw scores for each class (before calibration)."""
        found = [row for row in map(self.index.get, analyse(text)) if row is not None]
        if not found:
            return self.intercepts.copy()
        rows, counts = np.unique(np.array(found, dtype=np.intp), return_counts=True)
        values = (1.0 + np.log(counts)) * self.idf[rows]
        values /= math.sqrt(float(values @ values))
        return self.intercepts + values @ self.weights[rows]

    def probabilities(self, text: str) -> np.ndarray:
        """Calibrated probabilities for each class, in ``classes`` order."""
        scaled = self.logits(text) / self.temperature
        scaled -= scaled.max()
        exps = np.exp(scaled)
        return exps / exps.sum()

    def predict(self, text: str) -> Prediction:
        """The best and second-best intents with their probabilities."""
        probabilities = self.probabilities(text)
        second, first = np.argpartition(probabilities, -2)[-2:]
        if probabilities[second] > probabilities[first]:
            first, second = second, first
        values = probabilities.tolist()
        return Prediction(self.classes[first], round(values[first], 4), self.classes[second],
                          round(values[second], 4), dict(zip(self.classes, values, strict=True)))


def load(raw: bytes) -> IntentModel:
    """A model from the bytes of a model file."""
    return IntentModel(json.loads(gzip.decompress(raw)))


@lru_cache(maxsize=1)
def shipped_model() -> IntentModel:
    """The model the package ships, loaded once per process."""
    return load((files(__package__) / MODEL_FILE).read_bytes())


def classify(text: str) -> Prediction:
    """The shipped model's reading of one message."""
    return shipped_model().predict(text)
