"""Health check for load balancers and ``lumen demo``'s readiness."""

from flask import jsonify

from lumen.system import bp
from lumen.system.health import check_health


@bp.get("/healthz")
def healthz():
    """200 with each dependency's status when all are up, else 503."""
    report = check_health()
    return jsonify(report), 200 if report["status"] == "ok" else 503
