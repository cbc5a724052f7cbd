"""Helpers of the attack suite."""


def assert_error_shape(resp, status, field=None):
    """Assert ``resp`` is the one JSON error shape with ``status`` (and ``field``)."""
    assert resp.status_code == status, resp.get_data(as_text=True)[:300]
    assert resp.mimetype == "application/json", resp.get_data(as_text=True)[:300]
    body = resp.get_json()
    assert body["ok"] is False and body["status"] == status and body["error"]
    if field is not None:
        assert body["field"] == field, body
    return body
