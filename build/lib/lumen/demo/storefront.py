"""The demo storefront: a mock shop page that hosts the widget, as a theme would."""

from flask import Blueprint, render_template

bp = Blueprint("demo_storefront", __name__)


@bp.get("/")
def storefront():
    """A realistic store home page with the Lumen widget embedded."""
    return render_template("demo/storefront.html")
