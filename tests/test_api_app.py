"""The app factory's configuration layers and ``conflictmap serve`` as a real process."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from geo.events.model import Event
from webapp import create_app

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_then_settings_file_then_env_then_test_config(tmp_path, monkeypatch, store):
    settings = tmp_path / "settings.py"
    settings.write_text("API_MAX_LIMIT = 50\nAPI_DEFAULT_LIMIT = 7\nGEOCODE_BATCH_MAX = 3\n")
    monkeypatch.setenv("CONFLICTMAP_SETTINGS", str(settings))
    monkeypatch.setenv("CONFLICTMAP_API_DEFAULT_LIMIT", "9")
    app = create_app({"STORE": store, "GEOCODE_BATCH_MAX": 4})
    assert app.config["API_MAX_LIMIT"] == 50  # from the file
    assert app.config["API_DEFAULT_LIMIT"] == 9  # env over file, parsed as JSON
    assert app.config["GEOCODE_BATCH_MAX"] == 4  # test_config last
    assert app.config["EXPORT_MAX_LIMIT"] == 1_000_000  # default
    store.put_events(
        [Event.from_dict({"event_type": "attack", "date_start": f"2024-10-{d:02d}"})
         for d in range(1, 15)]
    )  # fmt: skip
    assert app.test_client().get("/collections/events/items").get_json()["numberReturned"] == 9


def test_a_missing_settings_file_is_a_clear_error(monkeypatch, tmp_path):
    missing = tmp_path / "nope.py"
    monkeypatch.setenv("CONFLICTMAP_SETTINGS", str(missing))
    with pytest.raises(RuntimeError, match="CONFLICTMAP_SETTINGS.*nope.py"):
        create_app()


def test_store_from_the_environment(monkeypatch, tmp_path):
    path = tmp_path / "env.sqlite"
    monkeypatch.setenv("CONFLICTMAP_STORE", str(path))
    monkeypatch.delenv("CONFLICTMAP_SETTINGS", raising=False)
    app = create_app({"TESTING": True})
    assert app.test_client().get("/collections/events/items").status_code == 200
    assert path.exists()


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url, proc, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(proc.stdout.read())
        try:
            req = urllib.request.Request(url, headers={"Accept": "application/json"})
            with urllib.request.urlopen(req, timeout=5) as resp:
                return resp.headers, json.load(resp)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {timeout} s")


@pytest.mark.slow
def test_serve_runs_waitress_on_loopback_and_fills_an_empty_store(tmp_path):
    store = tmp_path / "served.sqlite"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFLICTMAP_")}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from webapp.cli import main; main()", "--store", str(store),
         "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        timeout = 600 if _pipeline_available() else 60
        headers, landing = _wait(f"http://127.0.0.1:{port}/", proc, timeout=timeout)
        assert headers["Server"] == "conflictmap"  # waitress, with our ident
        assert any(link["rel"] == "service-desc" for link in landing["links"])
        _, page = _wait(f"http://127.0.0.1:{port}/collections/events/items", proc)
        if _pipeline_available():
            assert page["numberMatched"] > 0  # the demo articles were ingested
        else:
            assert page["numberMatched"] == 0
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0]
    assert f"http://127.0.0.1:{port}/" in output


def _pipeline_available():
    try:
        import geo.pipeline.ingest  # noqa: F401
    except ImportError:
        return False
    return True


def test_serve_refuses_a_port_in_use(runner):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = runner.invoke(["serve", "--port", str(port), "--no-ingest"])
    assert result.exit_code != 0
    assert f"127.0.0.1:{port}" in result.output
