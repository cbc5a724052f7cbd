"""One JSON error shape for every failure, tested once across statuses and blueprints."""

import pytest

from webapp import create_app


@pytest.fixture
def crashing_app(store):
    app = create_app({"TESTING": True, "STORE": store, "MAX_CONTENT_LENGTH": 1024})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    return app


@pytest.mark.parametrize(
    "method, url, kwargs, status, field",
    [
        pytest.param("get", "/no/such/page", {}, 404, None, id="404-route"),
        pytest.param("get", "/collections/events/items/x", {}, 404, "featureId", id="404-item"),
        pytest.param("get", "/collections/nope/items", {}, 404, "collectionId", id="404-coll"),
        pytest.param("delete", "/conformance", {}, 405, None, id="405"),
        pytest.param("put", "/collections", {}, 405, None, id="405-collections"),
        pytest.param("get", "/collections/events/items?bbox=1,2,3", {}, 400, "bbox", id="400"),
        pytest.param("get", "/api/geocode", {}, 400, "q", id="400-geocode"),
        pytest.param("post", "/collections/events/items", {}, 401, "Authorization", id="401"),
        pytest.param("post", "/api/geocode", {"data": b"[" + b'"x",' * 600 + b'"y"]',
                     "content_type": "application/json"}, 413, "body", id="413"),
        pytest.param("get", "/boom", {}, 500, None, id="500"),
        pytest.param("get", "/oembed?url=javascript:alert(1)", {}, 404, "url", id="views-404"),
    ],
)  # fmt: skip
def test_every_error_has_the_same_json_shape(crashing_app, method, url, kwargs, status, field):
    client = crashing_app.test_client()
    resp = getattr(client, method)(url, **kwargs)
    assert resp.status_code == status
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert set(body) == {"ok", "status", "error", "field"}
    assert body["ok"] is False and body["status"] == status and body["field"] == field
    assert isinstance(body["error"], str) and len(body["error"]) > 10
    assert "secret internal detail" not in body["error"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_405_names_the_allowed_methods(client):
    resp = client.delete("/conformance")
    assert "GET" in resp.headers["Allow"] and "GET" in resp.get_json()["error"]


def test_api_error_and_error_body():
    from webapp.errors import ApiError, error_body

    err = ApiError(422, "x must be y; got 'z'", field="x", headers={"X-A": "1"})
    assert (err.status, err.field, err.headers) == (422, "x", {"X-A": "1"})
    assert error_body(422, err.message, err.field) == {
        "ok": False, "status": 422, "error": "x must be y; got 'z'", "field": "x",
    }  # fmt: skip
