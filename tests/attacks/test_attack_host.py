"""Issue 13 item 9: the Host header is never copied into links.

Links (landing page, Location, paging, oEmbed, the page's oEmbed discovery) come from the
configured public URL (``PUBLIC_URL``, ``serve --public-url``), or else from the address the
server listens on.
"""

import pytest

from webapp import create_app

EVIL = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
ITEMS = "/collections/events/items"


def _all_text(resp):
    return resp.get_data(as_text=True) + " ".join(f"{k}: {v}" for k, v in resp.headers.items())


@pytest.mark.parametrize(
    "method, url, kwargs",
    [
        ("get", "/?f=json", {}),
        ("get", "/collections", {}),
        ("get", f"{ITEMS}?limit=1", {}),
        ("get", "/openapi", {}),
        ("get", "/map", {}),
        ("get", "/oembed?url=http://evil.example/map", {}),
    ],
)
def test_a_forged_host_never_reaches_a_link(client, store, method, url, kwargs):
    resp = getattr(client, method)(url, headers=EVIL, **kwargs)
    assert resp.status_code in (200, 404)
    echoed = ("url=http://evil.example/map", "'http://evil.example/map'")  # the input, quoted
    text = _all_text(resp)
    for quote in echoed:
        text = text.replace(quote, "")
    assert "evil.example" not in text


def test_the_location_of_a_created_event_ignores_the_host(client, store):
    token = store.create_token("t")
    resp = client.post(
        ITEMS,
        json={"event_id": "ev-1", "event_type": "attack", "date_start": "2024-10-09"},
        headers={**EVIL, "Authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 201
    assert resp.headers["Location"] == "http://localhost/collections/events/items/ev-1"


def test_links_use_the_configured_public_url(store):
    app = create_app(
        {"TESTING": True, "STORE": store, "PUBLIC_URL": "https://maps.example.org/cm/"}
    )
    client = app.test_client()
    landing = client.get("/?f=json", headers=EVIL).get_json()
    hrefs = {link["rel"]: link["href"] for link in landing["links"]}
    assert hrefs["self"] == "https://maps.example.org/cm/?f=json"
    assert hrefs["conformance"] == "https://maps.example.org/cm/conformance"
    oembed = client.get(
        "/oembed", query_string={"url": "https://maps.example.org/cm/map"}, headers=EVIL
    )
    assert oembed.status_code == 200
    assert oembed.get_json()["provider_url"].startswith("https://maps.example.org/")
    assert 'src="https://maps.example.org/cm/embed' in oembed.get_json()["html"]
    assert client.get("/oembed?url=http://evil.example/map", headers=EVIL).status_code == 404


@pytest.mark.parametrize("bad", ["maps.example.org", "ftp://x.example", "https://x.example/?a=1"])
def test_a_bad_public_url_is_refused_at_start(store, bad):
    with pytest.raises(ValueError, match="public URL"):
        create_app({"TESTING": True, "STORE": store, "PUBLIC_URL": bad})


def test_serve_checks_its_public_url(runner):
    result = runner.invoke(["serve", "--public-url", "not a url", "--port", "0"])
    assert result.exit_code == 2 and "absolute http or https URL" in result.output
