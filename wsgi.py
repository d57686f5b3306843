"""WSGI entry point: ``gunicorn -k gevent wsgi:app``."""

from gevent import monkey

# gevent must patch the standard library before anything imports sockets or ssl.
monkey.patch_all()

from lumen import create_app  # noqa: E402
from lumen.startup import prepare_process  # noqa: E402

app = create_app()
prepare_process(app)
