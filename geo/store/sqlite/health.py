"""Checks of a store file before it is used: empty or damaged files, and why a write fails.

Each check ends in a one-line ``StoreError`` naming the file, the cause and what to do, so
that neither the CLI nor the server ever shows a traceback or a generic 500 for a store
that cannot be used.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from geo.exc import StoreError

__all__ = ["check_file", "check_integrity", "explain"]


def check_file(path):
    """Refuse a store path that exists but cannot be a store: a folder, or an empty file.

    SQLite takes an empty file for a new database; a store file that became empty (a failed
    copy, a full disk) would then be silently started again (and filled with demo data).

    Raises
    ------
    StoreError
        Naming ``path`` and what to do.
    """
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"store {str(path)!r} is a folder; expected an SQLite file path")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    except OSError as err:
        raise StoreError(f"cannot read store {str(path)!r}: {err.strerror or err}") from err
    if size == 0:
        raise StoreError(
            f"store {str(path)!r} is an empty file (0 bytes), not a conflictmap store (it may "
            "have been truncated); restore it from a backup, or delete it to start a new store"
        )


def check_integrity(conn, path):
    """Run SQLite's ``quick_check`` on an existing store; raise when the file is damaged.

    Raises
    ------
    StoreError
        Naming ``path``, SQLite's first complaint, and how to recover.
    """
    try:
        rows = conn.execute("PRAGMA quick_check(5)").fetchall()
        problem = None if rows == [("ok",)] else " ".join(" ".join(str(r[0]).split()) for r in rows)
    except sqlite3.DatabaseError as err:
        problem = str(err)
    if problem is not None:
        problem = problem.replace("*** in database main *** ", "")
        raise StoreError(
            f"store {str(path)!r} is damaged (SQLite's quick_check: {problem[:200]}); restore "
            f"it from a backup, or save what is readable with: sqlite3 {str(path)!r} .recover "
            "| sqlite3 recovered.sqlite"
        )


def explain(path, err, *, doing="open"):
    """Return a one-line message for an SQLite error met while opening or writing ``path``.

    Read-only file systems, read-only files and folders are named as such (SQLite says only
    "unable to open database file" or "attempt to write a readonly database").

    Examples
    --------
    >>> explain("/no/such/folder/x.sqlite", sqlite3.OperationalError("unable to open"))
    "cannot open store '/no/such/folder/x.sqlite': its folder '/no/such/folder' does not exist"
    """
    path = Path(path)
    folder = path.parent
    what = f"cannot {doing} store {str(path)!r}"
    if not folder.is_dir():
        return f"{what}: its folder {str(folder)!r} does not exist"
    if _read_only_fs(folder):
        return (
            f"{what}: it is on a read-only file system; use a store on a writable disk "
            "(--store PATH or CONFLICTMAP_STORE)"
        )
    if path.exists() and not _can(path, os.W_OK):
        return (
            f"{what}: the file is read-only for this user (permissions); make it writable "
            "(chmod u+w) or use another --store"
        )
    if not _can(folder, os.W_OK | os.X_OK):
        return (
            f"{what}: its folder {str(folder)!r} is not writable for this user, and SQLite "
            "keeps its write-ahead log beside the file; make the folder writable or use "
            "another --store"
        )
    message = str(err)
    if isinstance(err, OSError) and err.errno == errno.ENOSPC or "full" in message:
        return f"{what}: the disk is full ({message})"
    return f"{what}: {message}"


def _can(path, mode):
    """Return whether this process (its effective user) may access ``path`` in ``mode``."""
    effective = os.access in os.supports_effective_ids
    return os.access(path, mode, effective_ids=effective)


def _read_only_fs(folder):
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False
