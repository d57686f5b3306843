"""CSV export routes on the admin blueprint: start one (202), follow it, download it."""

from __future__ import annotations

from flask import Response, abort, g, request, stream_with_context
from werkzeug.exceptions import BadRequest

from lumen.admin import bp
from lumen.admin.rendering import render_page
from lumen.extensions import db
from lumen.history import exports
from lumen.history.filters import ConversationFilters
from lumen.history.timezone import shop_zone
from lumen.models import ExportShape, ExportStatus


@bp.post("/exports")
def create_export() -> Response:
    """Export what the list's filters show, in the chosen shape: 202 with the export's page."""
    shop = g.shop
    filters = ConversationFilters.parse(request.form, shop)
    shape = _shape(request.form.get("shape", "conversations"))
    shop_zone(shop)  # the job reads dates in the zone cached on the shop
    export = exports.create_export(shop, filters, shape)
    db.session.commit()
    exports.start(export)
    db.session.refresh(export)  # inline jobs (embedded default) have already finished
    return render_page("export", status_code=202, export=export)


@bp.get("/exports/<int:export_id>")
def export_progress(export_id: int) -> Response:
    """The export's progress (htmx polls it) and, once ready, its download link."""
    return render_page("export", export=_export(export_id))


@bp.get("/exports/<int:export_id>/download")
def download_export(export_id: int) -> Response:
    """The CSV file, streamed piece by piece from the database."""
    export = _export(export_id)
    if export.status is not ExportStatus.READY:
        abort(409, description="This export is not ready yet.")
    filename = f"lumen-{export.shape.value}-{export.created_at:%Y%m%d}-{export.id}.csv"
    response = Response(stream_with_context(exports.export_chunks(export)),
                        content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Content-Length"] = str(export.size_bytes)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _export(export_id: int):
    export = exports.shop_export(g.shop, export_id)
    if export is None:
        abort(404, description="This export does not exist or has been deleted (exports are "
                               "kept for 24 hours).")
    return export


def _shape(raw: str) -> ExportShape:
    try:
        return ExportShape(raw)
    except ValueError:
        raise BadRequest("'shape' must be conversations or messages.") from None
