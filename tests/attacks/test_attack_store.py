"""Issue 13 items 5 and 10: damaged stores and read-only storage are reported in one line.

An empty store file is not silently started again (nor filled with the demo), a damaged one
is caught at open by SQLite's quick_check, and a store that cannot be written says why (the
file, its folder, or a read-only file system) - never a traceback.
"""

import os
import random
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.exc import StoreError
from geo.store.sqlite.store import SQLiteStore
from webapp import create_app
from webapp.cli import main


def _cli(store_path, *args):
    return CliRunner().invoke(main, ["--store", str(store_path), *args])


def _one_line_error(result, *words):
    assert result.exit_code == 1, result.output
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def filled(tmp_path):
    from attacks.test_attack_slow import make_events

    path = tmp_path / "events.sqlite"
    store = SQLiteStore(path)
    store.put_events(make_events(3000))
    store.close()  # checkpointed: everything is in the main file
    return path


def test_an_empty_store_file_is_refused_not_refilled(tmp_path):
    path = tmp_path / "events.sqlite"
    path.touch()
    with pytest.raises(StoreError, match="empty file"):
        SQLiteStore(path)
    _one_line_error(_cli(path, "events", "list"), str(path), "empty file", "backup")
    _one_line_error(_cli(path, "serve", "--port", "0"), str(path), "empty file")
    assert path.stat().st_size == 0  # nothing was written into it


def _damage(path, seed=1):
    size = path.stat().st_size
    rng = random.Random(seed)
    with open(path, "r+b") as handle:
        for _ in range(40):  # garbage over pages in the middle of the file
            handle.seek(rng.randrange(size // 4, 3 * size // 4))
            handle.write(rng.randbytes(512))


def test_a_damaged_store_is_caught_at_open(filled):
    _damage(filled)
    with pytest.raises(StoreError, match="damaged .*quick_check"):
        SQLiteStore(filled)
    _one_line_error(_cli(filled, "events", "list"), str(filled), "damaged", ".recover")
    _one_line_error(_cli(filled, "export", "--format", "csv"), "damaged")
    _one_line_error(_cli(filled, "serve", "--port", "0", "--no-ingest"), "damaged")


def test_a_server_on_a_damaged_store_answers_503_in_the_error_shape(filled):
    _damage(filled)
    client = create_app({"TESTING": True, "STORE": str(filled)}).test_client()
    resp = client.get("/collections/events/items")
    assert resp.status_code == 503 and resp.get_json()["ok"] is False
    assert "damaged" in resp.get_json()["error"]


def test_garbage_header_is_not_a_database(tmp_path):
    path = tmp_path / "events.sqlite"
    path.write_bytes(b"not a database at all" * 500)
    _one_line_error(_cli(path, "events", "list"), str(path))


# -- read-only storage ---------------------------------------------------------------------


@contextmanager
def _as_a_user_who_cannot_write():
    """Run the block as 'nobody' when the tests run as root (whom permissions do not stop)."""
    if os.geteuid() != 0:
        yield
        return
    _cli(Path(tempfile.mkdtemp()) / "warm.sqlite", "token", "list")  # import everything first
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def readonly_store():
    folder = Path(tempfile.mkdtemp(prefix="cm-readonly-"))
    os.chmod(folder, 0o755)
    path = folder / "events.sqlite"
    store = SQLiteStore(path)
    store.create_token("existing")
    store.close()
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    yield path
    os.chmod(folder, 0o755)
    shutil.rmtree(folder)


def test_token_create_on_a_read_only_store_says_why_in_one_line(readonly_store):
    with _as_a_user_who_cannot_write():
        create = _cli(readonly_store, "token", "create", "alice")
        listed = _cli(readonly_store, "token", "list")
    _one_line_error(create, str(readonly_store))
    assert "read-only" in create.output or "not writable" in create.output, create.output
    assert "Traceback" not in listed.output


@pytest.fixture
def readonly_fs(tmp_path):
    mount = tmp_path / "ro"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("mounting a file system needs privileges this run does not have")
    try:
        store = SQLiteStore(mount / "events.sqlite")
        store.create_token("existing")
        store.close()
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield mount / "events.sqlite"
    finally:
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_read_only_file_system_is_named(readonly_fs):
    result = _cli(readonly_fs, "token", "create", "alice")
    _one_line_error(result, str(readonly_fs), "read-only file system")
    with pytest.raises(StoreError, match="read-only file system"):
        SQLiteStore(readonly_fs.parent / "new.sqlite")
