"""The code job: look the address's orders up, and only if it has some, mail the code.

Its argument is a sealed ``CodeRequest`` (see ``request``): the address exists in clear only
in this job's memory and in the sent message. The job is enqueued with ``result_ttl=0``, so RQ
deletes it (arguments and all) when it returns; a temporary failure propagates while a retry
remains, but the last attempt logs it and returns, because a failed job would keep its
arguments in RQ's failed registry for days. Safe to re-run: a second run sends the same code
again, which changes nothing for the shopper.
"""

from __future__ import annotations

import logging
import time
from email.message import EmailMessage

from rq import get_current_job

from lumen.auth import admin_client_for
from lumen.codes.message import build_code_message
from lumen.codes.request import CodeRequest, open_request
from lumen.conversation.codes import MAX_ORDERS, remember_orders
from lumen.extensions import db
from lumen.mail import MailError, get_mailer, is_address
from lumen.models import Shop
from lumen.queue import get_queue
from lumen.security import keyed_digest, normalise_email
from lumen.shopify.queries import ORDERS_BY_EMAIL, order_email_search

logger = logging.getLogger(__name__)

CODE_JOB_TIMEOUT = 30
# A code lives 10 minutes: retry soon, and not past its expiry.
RETRY_INTERVALS = [5, 30, 120]


def send_code(shop_id: int, sealed: str) -> str:
    """Mail the sealed request's code if its address has orders in the shop; say what
    happened (no personal data)."""
    request = open_request(sealed)
    ref = keyed_digest(request.challenge)[:8]
    try:
        outcome = _send(shop_id, request)
    except Exception as error:
        if _will_retry(error):
            raise
        reason = error.reason if isinstance(error, MailError) else type(error).__name__
        logger.warning("one-time code %s not sent, gave up: %s", ref, reason)
        return "gave up"
    logger.info("one-time code %s: %s", ref, outcome)
    return outcome


def _send(shop_id: int, request: CodeRequest) -> str:
    now = time.time()
    if now >= request.expires:
        return "expired before it could be sent"
    shop = db.session.get(Shop, shop_id)
    if shop is None or not shop.is_installed or not is_address(request.to):
        return "nothing sent"
    orders = orders_of(shop, request.to)
    if not orders:
        return "no orders, nothing sent"
    remember_orders(request.challenge, orders, int(request.expires - now))
    mailer = get_mailer()
    mailer.send(_message(mailer, shop, request))
    return "sent"


def orders_of(shop: Shop, email: str) -> list[tuple[str, str]]:
    """(name, id) of the shop's most recent orders placed with exactly ``email``."""
    with admin_client_for(shop) as client:
        data = client.execute(ORDERS_BY_EMAIL, {"query": order_email_search(email)})
    wanted = normalise_email(email)
    # Shopify's search matches loosely; only the orders of this very address count.
    return [(node["name"], node["id"]) for node in data["orders"]["nodes"]
            if normalise_email(str(node.get("email") or "")) == wanted][:MAX_ORDERS]


def _message(mailer, shop: Shop, request: CodeRequest) -> EmailMessage:
    minutes = max(1, round((request.expires - time.time()) / 60))
    return build_code_message(mailer, shop, to=request.to, code=request.code, minutes=minutes)


def _will_retry(error: Exception) -> bool:
    job = get_current_job()
    temporary = not isinstance(error, MailError) or error.temporary
    return temporary and job is not None and bool(job.retries_left) and get_queue().is_async
