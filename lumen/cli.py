"""The ``lumen`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lumen.config import ConfigError
from lumen.devstore import FixtureError
from lumen.models import Plan


def _demo(args: argparse.Namespace) -> None:
    from werkzeug.serving import run_simple

    from lumen.demo import build_demo
    from lumen.startup import prepare_process

    self_host = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else args.host
    app, wsgi_app = build_demo(args.fixtures, f"http://{self_host}:{args.port}",
                               plan=Plan(args.plan))
    prepare_process(app)
    base = f"http://{self_host}:{args.port}"
    print(f"Lumen demo\n  storefront  {base}/\n  admin       {base}/admin/dev-login\n"
          f"  outbox      {base}/demo/outbox (alerts and one-time codes, without LUMEN_SMTP_URL)\n"
          f"  health      {base}/healthz", flush=True)
    run_simple(args.host, args.port, wsgi_app, threaded=True, use_reloader=False)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lumen", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run the embedded default with the development store")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=5000)
    demo.add_argument("--fixtures", type=Path, help="orders for the development store (JSON)")
    demo.add_argument("--plan", choices=[plan.value for plan in Plan], default=Plan.FREE.value,
                      help="the demo shop's plan (the development store's subscription)")
    demo.set_defaults(handler=_demo)
    return parser


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``lumen`` console script."""
    args = _parser().parse_args(argv)
    try:
        args.handler(args)
    except ConfigError as error:
        sys.exit(f"lumen: configuration error: {error}")
    except FixtureError as error:
        sys.exit(f"lumen: fixture error: {error}")
