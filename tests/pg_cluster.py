"""A throwaway PostgreSQL cluster with PostGIS in a temporary folder, for the test suite.

``start(folder)`` runs Debian's ``initdb`` and ``pg_ctl`` (PostgreSQL 15, found through
``pg_config --bindir``, ``CONFLICTMAP_PG_BIN`` or ``/usr/lib/postgresql/*/bin``) as an
unprivileged user — the current one, or ``postgres`` when run as root, since PostgreSQL
refuses to run as root — on 127.0.0.1 and a free port, with ``trust`` authentication (the
cluster lives only as long as the test run and listens only on the loopback address).
It returns the URL of a database holding the ``postgis`` extension.

Used by ``tests/conftest.py`` and by ``.ci/run``::

    python tests/pg_cluster.py start DIR   # prints the URL
    python tests/pg_cluster.py stop DIR
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

__all__ = ["PostgresUnavailable", "bindir", "start", "stop"]

#: The database the tests use (created in the cluster, with PostGIS).
TEST_DB = "conflictmap_test"
#: Settings of a cluster whose data need not survive a crash (faster tests).
_SETTINGS = (
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=300",
    "listen_addresses='127.0.0.1'",
)


class PostgresUnavailable(RuntimeError):
    """Raised when no PostgreSQL server binaries or no PostGIS extension are installed."""


def bindir():
    """Return the folder of ``initdb``/``pg_ctl``, or raise ``PostgresUnavailable``."""
    candidates = []
    if os.environ.get("CONFLICTMAP_PG_BIN"):
        candidates.append(os.environ["CONFLICTMAP_PG_BIN"])
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(out.stdout.strip())
    for folder in candidates:
        if folder and os.access(os.path.join(folder, "initdb"), os.X_OK):
            return folder
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) are not installed; install Debian's "
        "postgresql-15-postgis-3 or set CONFLICTMAP_TEST_POSTGRES to a server URL"
    )


def _as_user(cmd):
    if os.geteuid() != 0:
        return cmd
    if shutil.which("runuser") is None:
        raise PostgresUnavailable("running as root and runuser is missing")
    return ["runuser", "-u", "postgres", "--", *cmd]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd, **kw):
    done = subprocess.run(_as_user(cmd), capture_output=True, text=True, **kw)
    if done.returncode:
        raise PostgresUnavailable(f"{' '.join(cmd[:2])} failed: {done.stderr.strip()[-800:]}")
    return done.stdout


def start(folder):
    """Create and start a cluster in ``folder``; return the test database's URL."""
    folder = Path(folder).absolute()
    binaries = bindir()
    if not glob.glob("/usr/share/postgresql/*/extension/postgis.control") and not glob.glob(
        os.path.join(os.path.dirname(binaries), "..", "share", "extension", "postgis.control")
    ):
        raise PostgresUnavailable(
            "PostGIS is not installed for this PostgreSQL; install postgresql-15-postgis-3"
        )
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    _run([f"{binaries}/initdb", "-D", str(data), "-A", "trust", "-U", "postgres",
          "-E", "UTF8", "--no-sync"])  # fmt: skip
    port = _free_port()
    options = " ".join(f"-c {s}" for s in (*_SETTINGS, f"port={port}",
                                            f"unix_socket_directories='{folder}'"))  # fmt: skip
    _run([f"{binaries}/pg_ctl", "-D", str(data), "-l", str(folder / "server.log"), "-w",
          "-o", options, "start"])  # fmt: skip
    (folder / "port").write_text(str(port))
    psql = [f"{binaries}/psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-q"]
    if not os.access(psql[0], os.X_OK):
        psql[0] = shutil.which("psql") or psql[0]
    _run([*psql, "-d", "postgres", "-c", f"CREATE DATABASE {TEST_DB}"])
    # btree_gist only for the migration test, which rebuilds a schema-2 store's indexes (a
    # new store needs postgis alone).
    _run([*psql, "-d", TEST_DB, "-c", "CREATE EXTENSION postgis; CREATE EXTENSION btree_gist"])
    return f"postgresql://postgres@127.0.0.1:{port}/{TEST_DB}"


def stop(folder):
    """Stop the cluster in ``folder`` (immediately: its data are thrown away)."""
    data = Path(folder).absolute() / "data"
    if data.exists():
        subprocess.run(
            _as_user([f"{bindir()}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )


if __name__ == "__main__":
    action, where = sys.argv[1], sys.argv[2]
    if action == "start":
        print(start(where))
    elif action == "stop":
        stop(where)
    else:
        sys.exit(f"unknown action {action!r}; expected start or stop")
