"""Sentiment per message and per conversation, and sustained frustration."""

from __future__ import annotations

import pytest

from lumen.sentiment import (
    Sentiment,
    conversation_sentiment,
    from_model,
    label_for,
    lexicon_sentiment,
    message_sentiment,
    sustained_frustration,
)


@pytest.mark.parametrize(("text", "label"), [
    ("Thanks so much, that's great!", "positive"),
    ("Where is my order?", "neutral"),
    ("This is ridiculous, the worst service ever. I'm so angry!", "negative"),
])
def test_the_lexicon_labels_a_message(text, label):
    sentiment = lexicon_sentiment(text)
    assert sentiment.label == label and sentiment.source == "lexicon"
    assert -1 <= sentiment.score <= 1


@pytest.mark.parametrize(("score", "label"), [(-0.05, "negative"), (-0.04, "neutral"),
                                              (0.0, "neutral"), (0.05, "positive")])
def test_labels_follow_the_score(score, label):
    assert label_for(score) == label


def test_geminis_reading_wins_when_there_is_one():
    gemini = from_model(-0.8)
    assert message_sentiment("Thanks so much, that's great!", gemini) is gemini
    assert message_sentiment("Thanks so much, that's great!").source == "lexicon"


def test_a_model_score_is_clamped_and_labelled_by_code():
    assert from_model(7) == Sentiment("positive", 1.0, "gemini")
    assert from_model(-3) == Sentiment("negative", -1.0, "gemini")


def test_the_conversation_leans_on_recent_messages():
    assert conversation_sentiment([]) is None
    assert conversation_sentiment([0.5]).score == 0.5
    recovering = conversation_sentiment([-0.8, -0.6, 0.6, 0.8])
    souring = conversation_sentiment([0.8, 0.6, -0.6, -0.8])
    assert recovering.label == "positive" and souring.label == "negative"


@pytest.mark.parametrize(("scores", "frustrated"), [
    ([], False), ([-0.9], False), ([-0.5, -0.6], True), ([-0.9, 0.2], False),
    ([0.5, -0.31, -0.4], True), ([-0.6, -0.2], False),
])
def test_frustration_must_be_sustained(scores, frustrated):
    assert sustained_frustration(scores) is frustrated
