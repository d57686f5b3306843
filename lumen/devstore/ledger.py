"""A ledger of the Admin API calls the development store answers, for tests and benchmarks.

Wrap the store's WSGI app in `CallLedger`; each GraphQL call is noted with its operation name
and the cost the store reported (requested, actual) and whether it was throttled.
"""

from __future__ import annotations

import io
import json
import re
import threading
from typing import NamedTuple

OPERATION = re.compile(rb"query (\w+)")


class Call(NamedTuple):
    """One answered Admin API call."""

    operation: str
    requested: int | None
    actual: int
    throttled: bool


class CallLedger:
    """WSGI middleware over the development store noting every GraphQL call it answers."""

    def __init__(self, app) -> None:
        self.app, self.calls, self._lock = app, [], threading.Lock()

    def __call__(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        answer = b"".join(self.app(environ, start_response))
        match = OPERATION.search(body)
        if match and answer[:1] == b"{":
            self._note(match.group(1).decode(), json.loads(answer))
        return [answer]

    def _note(self, operation: str, answer: dict) -> None:
        cost = (answer.get("extensions") or {}).get("cost") or {}
        throttled = "THROTTLED" in json.dumps(answer.get("errors"))
        with self._lock:
            self.calls.append(Call(operation, cost.get("requestedQueryCost"),
                                   cost.get("actualQueryCost") or 0, throttled))

    def take(self) -> list[Call]:
        """The calls noted since the last take."""
        with self._lock:
            calls, self.calls = self.calls, []
        return calls

    def count(self, *operations: str) -> int:
        """How many calls of these operations were answered so far."""
        with self._lock:
            return sum(call.operation in operations for call in self.calls)
