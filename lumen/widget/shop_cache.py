"""The shop and its settings for widget requests, kept a moment per process.

Every widget request needs its shop with the settings, and selecting them (a join, two ORM
objects, the token decrypted) was the largest single part of a turn's work. A snapshot of
both is kept per process for SECONDS and merged into each request's session without a query
(``merge(load=False)``, SQLAlchemy's way of bringing cached objects back). Any change this
process writes to a shop or its settings drops the snapshots at once; another process's write
(settings saved in the admin, an uninstall) is seen within SECONDS.
"""

from __future__ import annotations

import copy
import time

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.session import make_transient_to_detached

from lumen.extensions import db
from lumen.models import Shop, ShopSettings
from lumen.shops import shop_for_domain

SECONDS = 2.0
_EXTENSION = "lumen.widget.shop_cache"


def shop_with_settings(domain: str) -> Shop | None:
    """The shop row for ``domain`` with its settings, from the snapshot while it is fresh."""
    cache = current_app.extensions.setdefault(_EXTENSION, {})
    kept = cache.get(domain)
    if kept is not None and kept[0] > time.monotonic():
        return db.session.merge(kept[1], load=False)
    shop = shop_for_domain(domain, with_settings=True)
    if shop is not None:
        cache[domain] = (time.monotonic() + SECONDS, _snapshot(shop))
    return shop


def _snapshot(shop: Shop) -> Shop:
    """A detached copy of the shop and its settings, not tied to any session."""
    kept = _detached_copy(shop)
    settings = _detached_copy(shop.settings) if shop.settings is not None else None
    set_committed_value(kept, "settings", settings)
    return kept


def _detached_copy(instance):
    values = {attribute.key: copy.deepcopy(getattr(instance, attribute.key))
              for attribute in type(instance).__mapper__.column_attrs}
    kept = type(instance)(**values)
    make_transient_to_detached(kept)
    return kept


def forget_all() -> None:
    """Drop this process's snapshots (the app's)."""
    if has_app_context():
        current_app.extensions.pop(_EXTENSION, None)


@event.listens_for(Session, "after_flush")
def _forget_written_shops(session: Session, _context: object) -> None:
    """A shop or its settings written here: the snapshots are out of date."""
    if any(isinstance(instance, Shop | ShopSettings)
           for instance in (*session.new, *session.dirty, *session.deleted)):
        forget_all()


@event.listens_for(Session, "do_orm_execute")
def _forget_bulk_written_shops(state: ORMExecuteState) -> None:
    """Bulk UPDATEs and DELETEs of shops or settings do not pass through the flush."""
    mapper = state.bind_mapper
    if (state.is_update or state.is_delete) and mapper is not None \
            and mapper.class_ in (Shop, ShopSettings):
        forget_all()
