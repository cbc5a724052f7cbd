"""Checks of a store file before it is used: empty or damaged files, and why a write fails.

Each check ends in a one-line ``StoreError`` naming the file, the cause and what to do, so
that neither the CLI nor the server ever shows a traceback or a generic 500 for a store
that cannot be used.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
from pathlib import Path

from geo.exc import StoreError

__all__ = ["CHECKED_SUFFIX", "check_file", "check_integrity", "explain", "quick_check"]


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


#: Suffix of the file beside a store that records the state of the store's file when SQLite's
#: ``quick_check`` last passed (``check_integrity``).
CHECKED_SUFFIX = "-checked"


def _file_state(path):
    """Return what identifies the bytes of ``path`` and its write-ahead log, or None.

    The inode, size, modification and change times of the file, and the size and times of
    a non-empty ``-wal`` file. Any write changes the change time (``st_ctime_ns``), which no
    program can set back (``os.utime`` sets the change time to now).
    """
    try:
        st = os.stat(path)
        state = [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]
        try:
            wal = os.stat(f"{path}-wal")
        except FileNotFoundError:
            return state
        if wal.st_size:
            state += [wal.st_ino, wal.st_size, wal.st_mtime_ns, wal.st_ctime_ns]
        return state
    except OSError:
        return None


def check_integrity(conn, path):
    """Run SQLite's ``quick_check`` on an existing store, unless it passed on these very bytes.

    After a check that passes, the state of the file (``_file_state``) is written beside it
    (``<store>-checked``); while the file and its log keep that state, later opens skip the
    check (1.8-3.7 s at 1,000,000 events). Any write, by conflictmap or anything else, changes
    the state, and the next open checks again. Without a writable folder it checks every
    time.

    Raises
    ------
    StoreError
        Naming ``path``, SQLite's first complaint, and how to recover.
    """
    record = Path(f"{path}{CHECKED_SUFFIX}")
    state = _file_state(path)
    if state is not None:
        try:
            if json.loads(record.read_text(encoding="utf-8")) == {"quick_check_ok": state}:
                return
        except (OSError, ValueError):
            pass
    problem = quick_check(conn)
    if problem is not None:
        problem = problem.replace("*** in database main *** ", "")
        raise StoreError(
            f"store {str(path)!r} is damaged (SQLite's quick_check: {problem[:200]}); restore "
            f"it from a backup, or save what is readable with: sqlite3 {str(path)!r} .recover "
            "| sqlite3 recovered.sqlite"
        )
    if state is not None and _file_state(path) == state:
        partial = record.with_name(f"{record.name}.{os.getpid()}")
        try:
            partial.write_text(json.dumps({"quick_check_ok": state}), encoding="utf-8")
            os.replace(partial, record)
        except OSError:  # a read-only folder or a full disk: check again next time
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)


def quick_check(conn):
    """Return SQLite's first complaints about the database of ``conn``, or None if it is sound."""
    try:
        rows = conn.execute("PRAGMA quick_check(5)").fetchall()
        return None if rows == [("ok",)] else " ".join(" ".join(str(r[0]).split()) for r in rows)
    except sqlite3.DatabaseError as err:
        return str(err)


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
