"""Benchmark: how the deterministic understanding layer does on real shoppers' first messages.

Every line of the shared corpus (``utterances.jsonl``, written by people outside this project)
is sent as the first message of a new session through the conversation engine with the routing
the widget uses and no LLM key, against the bundled demo orders and policies. Each reply is
scored by the corpus README's label-to-behaviour rules; the script prints per-label and
per-group figures, the misses, and the time ``understand()`` takes per message.

    .venv/bin/python benchmarks/understanding.py [--corpus PATH] [--plan free|pro] [--misses N]
                                                 [--half all|tuning|held-out]

``--half`` splits the corpus deterministically by a digest of each line's text: the misses of
the tuning half may be studied to decide what phrasings, rules or features to write; the
held-out half's are never printed, so its figures show whether that work generalises.

The corpus is a yardstick, not training data: nothing here copies its lines into the project.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lumen.conversation import (  # noqa: E402
    SealedOrder,
    SessionState,
    ShopProfile,
    TurnResult,
    handle_turn,
    seal,
)
from lumen.conversation import replies as templates  # noqa: E402
from lumen.conversation.policies import Policy  # noqa: E402
from lumen.conversation.understanding import understand  # noqa: E402
from lumen.devstore import load_fixtures  # noqa: E402

GROUPS = {
    "order questions": ("track", "delivery_time", "not_arrived", "delivered_not_received"),
    "out of scope": ("cancel", "refund_return", "change_address", "damaged_wrong_item"),
    "asks for a person": ("human",),
    "product questions": ("product_question",),
    "other platform": ("other_platform",),
    "greeting or thanks": ("greeting_thanks",),
}
TARGETS = {"order questions": 0.95, "out of scope": 0.95, "asks for a person": 0.95,
           "product questions": 0.85}


@dataclass(frozen=True)
class Seen:
    """What the first reply did, in the corpus README's terms."""

    texts: tuple[str, ...]
    escalated: bool
    offers_help: bool

    @property
    def text(self) -> str:
        """All reply texts, one per line."""
        return "\n".join(self.texts)

    @property
    def not_understood(self) -> bool:
        """The reply opens with "I didn't get that": never right."""
        return bool(self.texts) and self.texts[0].startswith("Sorry, I didn't quite get that")

    def has(self, *markers: str) -> bool:
        """Whether any reply contains one of the markers (case-insensitive)."""
        text = self.text.casefold()
        return any(marker.casefold() in text for marker in markers)


def _order_step(seen: Seen) -> bool:
    return seen.has("What's your order number?", "what's the number of your other order",
                    templates.ASK_EMAIL, "I wasn't able to find an order")


def _cannot_or_hands_over(seen: Seen) -> bool:
    return seen.escalated or seen.has("in this chat", "I can pass this to", "pass you to")


def _hands_over(seen: Seen) -> bool:
    return seen.escalated or seen.has("contact page", "support team's email")


RULES: dict[str, Callable[[Seen], bool]] = {
    **dict.fromkeys(("track", "delivery_time", "not_arrived"), _order_step),
    "delivered_not_received": lambda seen: _order_step(seen) or seen.offers_help
    or seen.escalated,
    **dict.fromkeys(("cancel", "refund_return", "change_address", "damaged_wrong_item"),
                    _cannot_or_hands_over),
    "human": _hands_over,
    "other_platform": lambda seen: seen.has(templates.OTHER_PLATFORM),
    "product_question": lambda seen: seen.has("For questions about products", "product page")
    or seen.escalated or seen.offers_help,
    "greeting_thanks": lambda seen: seen.has("Hi!", "You're welcome", "Great.", "Hello"),
}


def is_right(label: str, seen: Seen) -> bool | None:
    """The README's verdict for one first reply; None for lines that are not scored."""
    if label not in RULES:
        return None
    return not seen.not_understood and RULES[label](seen)


def find_corpus(explicit: str | None) -> Path:
    """The corpus file: --corpus, $LUMEN_CORPUS, or shared/corpus/ beside a parent folder."""
    if explicit or os.environ.get("LUMEN_CORPUS"):
        return Path(explicit or os.environ["LUMEN_CORPUS"])
    for parent in ROOT.parents:
        candidate = parent / "shared" / "corpus" / "utterances.jsonl"
        if candidate.is_file():
            return candidate
    raise SystemExit("corpus not found: pass --corpus PATH or set LUMEN_CORPUS")


HALVES = ("all", "tuning", "held-out")


def half_of(text: str) -> str:
    """The half of the corpus a line belongs to: a fixed digest, never Python's salted hash."""
    return ("tuning", "held-out")[hashlib.sha256(text.encode()).digest()[0] % 2]


def timings(lines: list[dict], repeat: int) -> tuple[list[float], list[float]]:
    """Microseconds per understand() call: every call of ``repeat`` passes after a warm-up,
    and each message's fastest call (what the code costs when the machine's other processes
    do not preempt it)."""
    for row in lines:
        understand(row["text"])
    spent, best = [], [float("inf")] * len(lines)
    for _ in range(repeat):
        for index, row in enumerate(lines):
            started = time.perf_counter()
            understand(row["text"])
            micros = (time.perf_counter() - started) * 1e6
            spent.append(micros)
            best[index] = min(best[index], micros)
    return spent, best


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of the values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


class FirstMessages:
    """New sessions against the demo orders, on the app's embedded default (no LLM key)."""

    def __init__(self, scratch: Path, plan: str):
        from lumen import create_app  # noqa: PLC0415

        self.app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{scratch / 'bench.db'}",
                               "LUMEN_INSTANCE_PATH": str(scratch)}, environ={})
        self.plan = plan
        fixtures = load_fixtures()
        self.orders = {order["name"]: order for order in fixtures["orders"]}
        self.policies = [Policy.from_shopify(node) for node in fixtures.get("policies", [])]
        self.shop = ShopProfile(shop_id=1, domain=fixtures["shop"], store_name="Lumen Demo",
                                policy_answers=plan != "free")

    def lookup(self, name: str) -> SealedOrder | None:
        """The demo order of that name, sealed, or None."""
        order = self.orders.get(name)
        return seal(order) if order else None

    def first_reply(self, text: str) -> TurnResult:
        """The engine's answer to ``text`` as a session's first message."""
        with self.app.app_context():
            return handle_turn(SessionState.new(), text, shop=self.shop, lookup=self.lookup,
                               limiter=_NoLimits(), client_ip="203.0.113.9",
                               policy_source=lambda: self.policies)


class _NoLimits:
    """Attempt limits stay out of the way: every line is its own shopper."""

    def blocked(self, *_: object) -> bool:
        """Never blocked."""
        return False

    def record_miss(self, *_: object) -> bool:
        """Misses are not counted."""
        return False

    def record_failure(self, *_: object) -> bool:
        """Failures are not counted."""
        return False


def play(lines: list[dict], plan: str) -> list[tuple[dict, Seen, bool | None, str]]:
    """Each line as the first message of a new session; (line, seen, verdict, intent)."""
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="lumen-understanding-") as scratch:
        chats = FirstMessages(Path(scratch), plan)
        for row in lines:
            result = chats.first_reply(row["text"])
            seen = Seen(tuple(reply.text for reply in result.replies),
                        result.escalation is not None,
                        any(reply.offers_help or templates.TALK_TO_A_PERSON in reply.quick_replies
                            for reply in result.replies))
            outcomes.append((row, seen, is_right(row["label"], seen), result.intent))
    return outcomes


def report(outcomes: list[tuple[dict, Seen, bool | None, str]],
           spent: tuple[list[float], list[float]], misses: int) -> None:
    """Per-label and per-group figures, the misses, and the timing."""
    by_label: dict[str, list[bool]] = collections.defaultdict(list)
    for row, _, verdict, _ in outcomes:
        if verdict is not None:
            by_label[row["label"]].append(verdict)
    print(f"{'label':<24}{'right':>7}{'of':>5}{'share':>8}")
    for label in sorted(by_label):
        verdicts = by_label[label]
        print(f"{label:<24}{sum(verdicts):>7}{len(verdicts):>5}{_share(verdicts):>8}")
    print(f"\n{'group':<24}{'right':>7}{'of':>5}{'share':>8}  target")
    for group, labels in GROUPS.items():
        verdicts = [v for label in labels for v in by_label.get(label, [])]
        target = TARGETS.get(group)
        mark = "" if target is None else f"  >= {target:.0%} " + (
            "ok" if verdicts and sum(verdicts) / len(verdicts) >= target else "MISSED")
        print(f"{group:<24}{sum(verdicts):>7}{len(verdicts):>5}{_share(verdicts):>8}{mark}")
    wrong = [(row, seen, intent) for row, seen, verdict, intent in outcomes if verdict is False]
    print(f"\nmisses ({len(wrong)}; first {misses}):")
    for row, seen, intent in wrong[:misses]:
        print(f"- [{row['label']} -> {intent}] {row['text'][:90]!r}\n    {seen.texts[0][:90]!r}")
    calls, best = spent
    print(f"\nunderstand() per call: p50 {percentile(calls, 0.5):.0f} us, "
          f"p99 {percentile(calls, 0.99):.0f} us, max {max(calls):.0f} us ({len(calls)} calls)")
    print(f"understand() per message, fastest of the passes: p50 {percentile(best, 0.5):.0f} us, "
          f"p99 {percentile(best, 0.99):.0f} us, max {max(best):.0f} us")


def _share(verdicts: list[bool]) -> str:
    return f"{sum(verdicts) / len(verdicts):.1%}" if verdicts else "-"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", help="utterances.jsonl (default: ../shared/corpus/)")
    parser.add_argument("--plan", choices=("free", "pro", "pro_plus"), default="free")
    parser.add_argument("--misses", type=int, default=60, help="misses to print")
    parser.add_argument("--repeat", type=int, default=5, help="timing passes")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--half", choices=HALVES, default="all",
                        help="score one half of the corpus (held-out never prints its misses)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark."""
    args = parse_args(argv)
    path = find_corpus(args.corpus)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if args.half != "all":
        lines = [row for row in lines if half_of(row["text"]) == args.half]
    spent = timings(lines, args.repeat)
    outcomes = play(lines, args.plan)
    report(outcomes, spent, 0 if args.half == "held-out" else args.misses)
    if args.json:
        Path(args.json).write_text(json.dumps(
            [{"label": row["label"], "right": verdict, "intent": intent}
             for row, _, verdict, intent in outcomes]))


if __name__ == "__main__":
    main()
