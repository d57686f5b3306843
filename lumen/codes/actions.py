"""The engine's CodeSender: enqueue the code job once the turn commits.

The job's argument is the request sealed with the app's Fernet keys (``security.encrypt``), so
neither the job hash nor RQ's log line holds the address or the code in clear, and the job is
deleted when it ends (``result_ttl=0``; see ``jobs.send_code`` for failures).
"""

from __future__ import annotations

from flask import current_app

from lumen.after_commit import after_commit
from lumen.codes.jobs import CODE_JOB_TIMEOUT, RETRY_INTERVALS, send_code
from lumen.codes.request import CodeRequest, seal_request
from lumen.conversation.codes import CodeSender
from lumen.mail import MissingTransport, get_mailer
from lumen.models import Shop
from lumen.queue import enqueue


def can_send() -> bool:
    """Whether Lumen can mail codes (SMTP, or the demo outbox in development)."""
    return not isinstance(get_mailer().transport, MissingTransport)


def code_sender(shop: Shop) -> CodeSender | None:
    """The engine's CodeSender for ``shop``; None when no mail can be sent."""
    if not can_send():
        return None
    shop_id = shop.id

    def send(email: str, code: str, challenge: str, expires: float) -> None:
        """Enqueue the code job once the turn commits."""
        request_code(shop_id, CodeRequest(email, code, challenge, expires))

    return send


def request_code(shop_id: int, request: CodeRequest) -> None:
    """Enqueue ``send_code`` for ``request`` after the commit, sealed."""
    app = current_app._get_current_object()
    sealed = seal_request(request)

    def enqueue_code() -> None:
        # An inline queue (the demo) runs the job here, inside the commit's event: give it an
        # app context, and so a session, of its own, as a worker would have.
        with app.app_context():
            enqueue(send_code, shop_id, sealed, timeout=CODE_JOB_TIMEOUT,
                    retries=len(RETRY_INTERVALS), intervals=RETRY_INTERVALS, result_ttl=0,
                    description="lumen.codes.jobs.send_code (sealed request)")

    after_commit(enqueue_code)
