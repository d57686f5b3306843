"""Customer data requests in the admin: the notice on Home and the page to download one.

The admin blueprint registers this file's view with ``register(bp)``, so it sits behind the
admin's session-token gate and reads the verified shop from ``g.shop``.
"""

from __future__ import annotations

import base64
import json

from flask import Blueprint, Response, abort, g

from lumen.admin.rendering import render_page
from lumen.extensions import db
from lumen.privacy import data_request_export


def register(admin_bp: Blueprint) -> None:
    """Add the data-request page to the admin blueprint."""
    admin_bp.add_url_rule("/data-requests/<int:request_id>", endpoint="data_request",
                          view_func=data_request_page, methods=["GET"])


def data_request_page(request_id: int) -> Response:
    """One data request: what to do with it, a download link and the data itself."""
    export = data_request_export(g.shop, request_id)
    if export is None:
        abort(404)
    db.session.commit()  # remembers that the merchant has fetched it
    filename, document = export
    text = json.dumps(document, indent=2, ensure_ascii=False)
    # A data: URL downloads without a second request, which would need its own session token.
    data_url = "data:application/json;base64," + base64.b64encode(text.encode()).decode()
    return render_page("data_request", filename=filename, document=document,
                       document_text=text, data_url=data_url)
