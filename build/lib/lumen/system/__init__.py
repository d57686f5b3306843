"""Operational endpoints with no caller identity: health checks."""

from flask import Blueprint

bp = Blueprint("system", __name__)

from lumen.system import views  # noqa: E402, F401
