"""50 simultaneous wrong codes on one chat session, against the real app, PostgreSQL and Redis:
each try is counted in Redis before its comparison, so at most 3 are compared, and the right
code sent after the burst is refused too."""

from __future__ import annotations

import re
import threading

import pytest
from rq import SimpleWorker

from lumen.conversation import codes
from lumen.mail import outbox
from lumen.queue import get_queue, get_redis
from lumen.widget import limits
from tests.codes.conftest import CODE_SENT, MAYA, other_than
from tests.widget.proxy import Chat, replies_text
from tests.widget.test_guess_concurrency import live_app, proxy_for, store  # noqa: F401

pytestmark = pytest.mark.integration
GUESSES = 50


def test_a_burst_of_wrong_codes_is_compared_at_most_three_times(live_app, monkeypatch):  # noqa: F811
    monkeypatch.setattr(limits, "SESSION_MESSAGES_PER_MINUTE", 10_000)
    chat = Chat(proxy_for(live_app))
    assert CODE_SENT in chat.say(MAYA)
    # The job waits in the real Redis: run it here, in this app context (development mail:
    # the outbox, in that Redis too).
    SimpleWorker([get_queue()], connection=get_redis()).work(burst=True)
    [message] = outbox().messages()
    code = re.search(r"\b(\d{6})\b", message.get_body(preferencelist=("plain",)).get_content())[1]
    compared = []
    digest = codes.code_digest  # computed only to compare a typed code
    monkeypatch.setattr(codes, "code_digest",
                        lambda challenge, typed: compared.append(typed) or digest(challenge, typed))
    barrier = threading.Barrier(GUESSES)
    said: list[str] = []

    def guess(index: int) -> None:
        barrier.wait()
        response = chat.proxy.post("api/messages", {"session": chat.token,
                                                    "text": other_than(code, index + 1)})
        assert response.status_code == 200, response.get_data(as_text=True)
        said.append(replies_text(response.get_json()["replies"]))

    threads = [threading.Thread(target=guess, args=(index,)) for index in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # The rest were refused uncompared, or (once a finished turn had saved the ended code)
    # read as order numbers.
    assert len(said) == GUESSES and 1 <= len(compared) <= 3
    assert not [text for text in said if "Your order" in text]
    assert "Your order" not in chat.say(code)
