"""The intent model's features: one function used both to train and to classify.

A message is normalised the way the rules see it (lower case, contractions expanded, words
only), emails and digits are replaced by placeholders (the model learns "a number was given",
never which one), then turned into words, word pairs and character 3- to 5-grams inside word
boundaries. The character n-grams are what makes "pakage", "recieved" and "talkk" look like
the words they misspell.
"""

from __future__ import annotations

import re

from lumen.conversation.vocabulary import CONTRACTIONS
from lumen.security import EMAIL_PATTERN

MAX_CHARS = 600  # a long complaint's first lines carry its intent
CHAR_NGRAMS = (3, 5)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_WORDS = re.compile(r"[^\W_]+")


def prepare(text: str) -> list[str]:
    """The message's words, normalised, with emails and numbers as placeholders."""
    text = EMAIL_PATTERN.sub(" emailaddress ", (text or "")[:MAX_CHARS])
    lowered = text.translate(_APOSTROPHES).lower().replace("'", "")
    words = []
    for word in _WORDS.findall(lowered):
        if word.isdigit():
            words.append("0")
        else:
            words.extend(CONTRACTIONS.get(word, word).split())
    return words


def analyse(text: str) -> list[str]:
    """Every feature of a message, repeated as often as it occurs."""
    words = prepare(text)
    features = [f"w {word}" for word in words]
    features += [f"b {first} {second}" for first, second in zip(words, words[1:], strict=False)]
    if len(words) == 1:
        features.append(f"o {words[0]}")  # a one-word message ("status", "agent")
    low, high = CHAR_NGRAMS
    for word in words:
        padded = f" {word} "
        for size in range(low, high + 1):
            features += [f"c{padded[start:start + size]}"
                         for start in range(len(padded) - size + 1)]
    return features
