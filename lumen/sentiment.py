"""Sentiment per message and per conversation, and when frustration is sustained enough to act.

Scores run from -1 (very negative) to 1 (very positive). Without Gemini the VADER lexicon scores
each message; with Gemini its reading (from the understanding or voice call) is used instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

NEUTRAL_BAND = 0.05  # VADER's own threshold between neutral and a polarity
FRUSTRATED_BELOW = -0.3
FRUSTRATED_STREAK = 2
RECENT_WEIGHT = 0.5  # how much each new message moves the conversation's score


@dataclass(frozen=True)
class Sentiment:
    """A label with its score and where the reading came from (lexicon or gemini)."""

    label: str
    score: float
    source: str = "lexicon"


def label_for(score: float) -> str:
    """negative, neutral or positive for a score in [-1, 1]."""
    if score <= -NEUTRAL_BAND:
        return "negative"
    if score >= NEUTRAL_BAND:
        return "positive"
    return "neutral"


def lexicon_sentiment(text: str) -> Sentiment:
    """VADER's compound score for one message."""
    score = _analyzer().polarity_scores(text)["compound"]
    return Sentiment(label_for(score), round(score, 4))


def message_sentiment(text: str, gemini: Sentiment | None = None) -> Sentiment:
    """Gemini's reading when there is one, else the lexicon's."""
    return gemini if gemini is not None else lexicon_sentiment(text)


def from_model(score: float) -> Sentiment:
    """A Gemini reading; the label follows the score, the finer signal of the two."""
    score = max(-1.0, min(1.0, float(score)))
    return Sentiment(label_for(score), round(score, 4), "gemini")


def conversation_sentiment(scores: Sequence[float]) -> Sentiment | None:
    """The conversation's mood: a moving average that weights recent messages more."""
    if not scores:
        return None
    average = scores[0]
    for score in scores[1:]:
        average = blend(average, score)
    return Sentiment(label_for(average), round(average, 4))


def blend(previous: float | None, score: float) -> float:
    """The conversation's moving average after one more message scored ``score``."""
    return score if previous is None else RECENT_WEIGHT * score + (1 - RECENT_WEIGHT) * previous


def sustained_frustration(scores: Sequence[float]) -> bool:
    """True when the shopper's latest messages are all clearly negative."""
    recent = scores[-FRUSTRATED_STREAK:]
    return len(recent) == FRUSTRATED_STREAK and all(s <= FRUSTRATED_BELOW for s in recent)


def load_lexicon() -> None:
    """Read VADER's lexicon now (process start-up) instead of on the first message."""
    _analyzer()


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()
