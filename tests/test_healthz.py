def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    data = response.json()
    assert response.status_code == 200, data
    assert data["database"]["ok"] and data["broker"]["ok"] and data["status"] == "ok"


def test_healthz_says_503_when_the_broker_is_unreachable(client, db, settings):
    # A port nothing listens on: the real client fails to connect.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False and response.json()["database"]["ok"] is True
