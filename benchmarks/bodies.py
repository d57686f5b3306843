"""Benchmark: peak memory of a gunicorn (gevent) worker sent 200 MB bodies without credentials.

Starts, on loopback only, the app under gunicorn with one gevent worker (SQLite, the given
Redis database, the development store as Shopify), reads the worker's peak resident set
(VmHWM in /proc), then sends unauthenticated 200 MB POSTs to a webhook and an admin form,
with a Content-Length and chunked, and reads the peak again. Each body is streamed from a
small buffer, so the client holds no copy; a body the server refuses is not sent on.

    .venv/bin/python benchmarks/bodies.py --redis-url redis://127.0.0.1:6379/12
"""

from __future__ import annotations

import argparse
import select
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.conversations import (  # noqa: E402
    DEVSTORE_SCRIPT,
    STORE_TOKEN,
    app_environment,
    children,
    database,
    free_port,
    prepare_app,
    redis_server,
    scratch_dir,
    started,
)
from lumen.devstore import load_fixtures  # noqa: E402

MB = 1024 * 1024
CHUNK = b"x" * (64 * 1024)
TARGETS = (("/webhooks/shop/redact", "application/json"),
           ("/admin/settings", "application/x-www-form-urlencoded"))


def peak_rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident set of ``pid`` in MB, from /proc/PID/status."""
    fields = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def send(port: int, path: str, content_type: str, size: int, chunked: bool) -> tuple[str, int]:
    """POST ``size`` bytes; stop sending once the server answers. (status line, bytes sent)."""
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            f"X-Shopify-Hmac-Sha256: AAAA\r\n{framing}\r\nConnection: close\r\n\r\n")
    sent = 0
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(head.encode())
        while sent < size:
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered: it will not read the rest
            piece = CHUNK[:size - sent]
            frame = b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece
            try:
                sock.sendall(frame)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
        if chunked and sent >= size:
            sock.sendall(b"0\r\n\r\n")
        sock.settimeout(30)
        answer = sock.recv(4096).decode("latin-1")
    return answer.split("\r\n", 1)[0], sent


def measure(port: int, worker: int, size: int) -> None:
    """Send each body and print the worker's memory before and after."""
    rss, peak = peak_rss_mb(worker)
    print(f"worker before: rss {rss:.1f} MB, peak {peak:.1f} MB")
    for path, content_type in TARGETS:
        for chunked in (False, True):
            started_at = time.perf_counter()
            status, sent = send(port, path, content_type, size, chunked)
            took = (time.perf_counter() - started_at) * 1000
            rss, peak = peak_rss_mb(worker)
            framing = "chunked" if chunked else "Content-Length"
            print(f"{path:24} {framing:14} -> {status:32} sent {sent / MB:7.2f} MB of "
                  f"{size / MB:.0f} MB in {took:6.0f} ms; worker rss {rss:.1f} MB, "
                  f"peak {peak:.1f} MB")


def main(argv: list[str] | None = None) -> None:
    """Start gunicorn, send the bodies, report, stop."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--redis-url", help="default: a private redis-server")
    parser.add_argument("--keep-logs", action="store_true")
    args = parser.parse_args(argv)
    with scratch_dir("lumen-bodies-", args.keep_logs) as workdir:
        port, store_port = free_port(), free_port()
        store = [sys.executable, "-c", DEVSTORE_SCRIPT, str(store_port), "0", STORE_TOKEN]
        gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "-k", "gevent", "-w", "1",
                    "-b", f"127.0.0.1:{port}", "wsgi:app"]
        store_url = f"http://127.0.0.1:{store_port}"
        with (redis_server(workdir, args.redis_url) as redis_url,
              database(workdir, None) as database_url,
              started(store, workdir / "devstore.log", ready_url=store_url + "/_control")):
            env = app_environment(workdir, database_url, redis_url, store_url)
            prepare_app(env, load_fixtures(None)["shop"])
            with started(gunicorn, workdir / "gunicorn.log", env,
                         f"http://127.0.0.1:{port}/healthz") as server:
                [worker] = children(server.pid)
                measure(port, worker, args.size_mb * MB)


if __name__ == "__main__":
    main()
