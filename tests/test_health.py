"""The health check reports the database and Redis."""

from sqlalchemy.exc import OperationalError


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"database": "ok", "redis": "ok", "status": "ok"}


def test_healthz_reports_a_broken_redis(app, client, monkeypatch):
    def broken_ping():
        raise ConnectionError("redis is down")

    monkeypatch.setattr(app.extensions["redis"], "ping", broken_ping)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["redis"] == "error: ConnectionError"
    assert response.json["status"] == "degraded"


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from lumen.extensions import db

    def broken_execute(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("database is down"))

    monkeypatch.setattr(db.session, "execute", broken_execute)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "error: OperationalError"
