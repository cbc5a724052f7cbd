"""Security headers: CSP with a per-request nonce, nosniff, referrer and frame policies, CORS."""

import re

import pytest

from webapp import create_app
from webapp.security import allow_framing, content_security_policy


def _directives(resp):
    csp = resp.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in csp.split("; ")}


@pytest.mark.parametrize(
    "url", ["/map", "/collections", "/collections/events/items", "/openapi", "/nope"]
)
def test_every_response_has_the_security_headers(client, url):
    resp = client.get(url)
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert resp.headers["X-Frame-Options"] == "DENY"
    d = _directives(resp)
    assert d["frame-ancestors"] == ["'none'"]
    assert d["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in d["script-src"] and "'unsafe-eval'" not in d["script-src"]
    assert d["default-src"] == ["'self'"]


def test_the_page_nonce_is_fresh_per_request_and_matches_the_csp(client):
    nonces = []
    for _ in range(3):
        resp = client.get("/", headers={"Accept": "text/html"})
        page = resp.get_data(as_text=True)
        in_page = set(re.findall(r'<script[^>]*\snonce="([^"]+)"', page))
        assert len(in_page) == 1
        nonce = in_page.pop()
        assert _directives(resp)["script-src"] == ["'self'", f"'nonce-{nonce}'"]
        nonces.append(nonce)
    assert len(set(nonces)) == 3 and all(len(n) >= 16 for n in nonces)


def test_only_the_embed_may_be_framed(client):
    embed = client.get("/embed")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed.headers
    assert "frame-ancestors" not in _directives(embed)
    assert _directives(embed)["script-src"][0] == "'self'"
    assert client.get("/map").headers["X-Frame-Options"] == "DENY"


def test_embed_frame_ancestors_can_be_restricted(store):
    app = create_app({"TESTING": True, "STORE": store,
                      "EMBED_FRAME_ANCESTORS": "https://reports.example"})  # fmt: skip
    resp = app.test_client().get("/embed")
    assert _directives(resp)["frame-ancestors"] == ["https://reports.example"]


def test_allow_framing_decorator_marks_other_views(store):
    app = create_app({"TESTING": True, "STORE": store})

    @app.get("/widget")
    @allow_framing
    def widget():
        return "ok"

    @app.get("/plain")
    def plain():
        return "ok"

    client = app.test_client()
    assert "X-Frame-Options" not in client.get("/widget").headers
    assert client.get("/plain").headers["X-Frame-Options"] == "DENY"


def test_configured_tile_servers_join_img_src(store):
    app = create_app({"TESTING": True, "STORE": store,
                      "CSP_IMG_SRC": ("https://tile.example.org",)})  # fmt: skip
    d = _directives(app.test_client().get("/map"))
    assert "https://tile.example.org" in d["img-src"]


def test_public_reads_allow_cors_but_pages_and_writes_do_not(client):
    assert client.get("/collections").headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/map").headers
    assert "Access-Control-Allow-Origin" not in client.post("/collections/events/items").headers


def test_request_bodies_over_the_limit_are_refused(store):
    app = create_app({"TESTING": True, "STORE": store, "MAX_CONTENT_LENGTH": 2048})
    token = store.create_token("t")
    resp = app.test_client().post(
        "/collections/events/items",
        data=b"{" + b" " * 5000 + b"}",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert resp.status_code == 413
    assert resp.get_json()["field"] == "body" and "2048" in resp.get_json()["error"]
    assert store.count() == 0


def test_content_security_policy_without_framing_restriction():
    csp = content_security_policy("n0nce", frame_ancestors=None, img_src=("https://t",))
    assert "frame-ancestors" not in csp and "img-src 'self' data: blob: https://t" in csp


def test_tokens_are_stored_hashed(store):
    secret = store.create_token("ops")
    assert store.verify_token(secret) == "ops"
    assert store.verify_token(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    for path in store.path.parent.glob(store.path.name + "*"):  # the file and its WAL
        assert secret.encode() not in path.read_bytes()
