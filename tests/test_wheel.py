"""The wheel is the product: built, installed into a fresh virtual environment away from the
checkout, its ``conflictmap`` ingests the demo articles into the user data folder, exports
them and serves them over HTTP."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _run(args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with the wheel installed, and the environment of a user away from the
    checkout (own HOME, XDG data folder and cache; no store setting)."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)])
    (wheel,) = dist.glob("conflictmap-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    # every data file of the packages ships (linker weights, lexicons, gazetteer, assets)
    tracked = subprocess.run(
        ["git", "ls-files", "geo", "webapp", "gazetteer"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    data = [f for f in tracked if not f.endswith(".py")]
    assert data and not [f for f in data if f not in names]
    shared = {"CODEBOOK.md", "curated/events.yaml", "articles/000_4b44cf9ec775b733.txt"}
    for f in shared:
        assert any(n.endswith(f".data/data/share/conflictmap/{f}") for n in names), f
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "-q", str(wheel)])
    home = base / "home"
    home.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CONFLICTMAP_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "xdg-data"),
        CONFLICTMAP_CACHE=str(home / "cache"),
        PATH=f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}",
    )
    work = base / "work"  # not the checkout: nothing can come from the source tree
    work.mkdir()
    return {"bin": env_dir / "bin", "env": env, "cwd": work, "home": home, "python": python}


def _conflictmap(installed, *args):
    return _run([str(installed["bin"] / "conflictmap"), *args], env=installed["env"],
                cwd=installed["cwd"])  # fmt: skip


def test_the_installed_package_is_not_the_checkout(installed):
    code = "import geo, webapp; print(geo.__file__); print(webapp.__file__)"
    out = _run([str(installed["python"]), "-c", code], env=installed["env"], cwd=installed["cwd"])
    for line in out.stdout.split():
        assert "site-packages" in line and not line.startswith(str(ROOT))


def test_ingest_export_and_serve_from_the_wheel(installed):
    store = installed["home"] / "xdg-data" / "conflictmap" / "conflictmap.sqlite"
    ingest = _conflictmap(installed, "ingest")
    assert store.is_file(), ingest.stdout + ingest.stderr  # the user data folder, by default
    out = installed["cwd"] / "events.geojson"
    _conflictmap(installed, "export", "-o", str(out))
    features = json.loads(out.read_text("utf-8"))["features"]
    assert len(features) >= 5
    assert all(f["properties"]["sources"] for f in features)
    gpkg = installed["cwd"] / "events.gpkg"
    _conflictmap(installed, "export", "-o", str(gpkg))
    assert gpkg.read_bytes()[:16] == b"SQLite format 3\x00"

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [str(installed["bin"] / "conflictmap"), "serve", "--port", str(port)],
        env=installed["env"],
        cwd=installed["cwd"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/collections/events/items?limit=1000"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=10) as resp:
                    body = json.load(resp)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not answer:\n{server.stdout.read()}") from None
                time.sleep(0.5)
        assert body["numberReturned"] == len(features)
        assert {f["id"] for f in body["features"]} == {f["id"] for f in features}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as resp:
            assert resp.status == 200 and b"conflictmap" in resp.read()
    finally:
        server.terminate()
        server.wait(timeout=30)
