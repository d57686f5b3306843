"""The one "run this after the view commits" mechanism.

An action registers work with :func:`after_commit`; it runs once the view's commit succeeds,
and is dropped if the transaction rolls back. The listeners are attached to Lumen's own
session factory (``db.session``), not to every SQLAlchemy session in the process.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from lumen.extensions import db

_PENDING = "lumen.after_commit"


def after_commit(action: Callable[[], None]) -> None:
    """Run ``action`` once the current transaction commits, and not at all if it fails.

    Used so that Redis moves on only with the database (a chat session advances with its
    transcript), and so no Redis round trip happens while a transaction holds database locks
    (under gevent, SQLite's lock would stall the worker).
    """
    db.session().info.setdefault(_PENDING, []).append(action)


@event.listens_for(db.session, "after_commit")
def _run_pending(session: Session) -> None:
    for action in session.info.pop(_PENDING, []):
        action()


@event.listens_for(db.session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)
