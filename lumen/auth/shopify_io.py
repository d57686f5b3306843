"""Glue between Flask and `shopify_app`: the app's credentials, request dicts, responses."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import Request, Response, current_app
from shopify_app import AppConfig, RequestInput, Res


def app_config() -> AppConfig:
    """The app's credentials in the shape every `shopify_app` function takes."""
    return {"client_id": current_app.config["SHOPIFY_API_KEY"],
            "client_secret": current_app.config["SHOPIFY_API_SECRET"],
            # Set while Shopify rotates the secret: signatures made with it still verify.
            "old_client_secret": current_app.config.get("SHOPIFY_API_SECRET_OLD")}


def request_input(request: Request) -> RequestInput:
    """The Flask request as `shopify_app` reads it."""
    return {"method": request.method, "headers": dict(request.headers), "url": request.url,
            "body": request.get_data(as_text=True)}


def to_response(res: Res) -> Response:
    """A Flask response from one `shopify_app` prepared; redirects stay on the same origin."""
    headers = dict(res.headers)
    if "Location" in headers:
        # shopify_app builds absolute URLs from request.url, which says http:// behind a
        # TLS-terminating proxy; a path-only Location keeps the browser on its own origin.
        headers["Location"] = _path_only(headers["Location"])
    if not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = "text/plain; charset=utf-8"
    return Response(res.body, status=res.status, headers=headers)


def _path_only(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
