"""The output file of ``summarize -o``: wirebrief's own records, written by one run at a time, never another file.

``-o`` points at a file the user already has as often as at a new one (a typo for the article, ``-o notes.md``,
last run's ``--format json``). So a JSONL is resumed only when every line is a record wirebrief wrote; the one
line it may cut is a torn last record, the mark of an interrupted write. Anything else is refused and left
byte-for-byte as it was (:class:`OutputNotOurs`) unless ``--force`` says to start the file afresh: on a batch of
100,000 articles a stray line is the user's to look at, not the tool's to delete. A ``--format json``/``md`` output
replaces only a file that is clearly that format's earlier output.

The one-writer lock is on the file itself (``flock`` on its inode), so every path to it — a symlink, a hard link,
a bind mount — meets the same lock, and no sidecar name can pass NAME_MAX. A repair that must rewrite the file
(a repeated id, ``--retry-failed``) writes a new file beside it, locks it *before* it takes the name, and keeps
the old file's lock to the end of the run: a run that opened either one is refused. POSIX, local disks.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from wirebrief.brief.schema import BriefRecord
from wirebrief.errors import OutputBusy, OutputNotOurs, OutputUnwritable

LINE_MAX = 64 * 2**20
"""Longest record line read back: far above any brief; a longer line is not a record."""
_KEYS = frozenset({"id", "brief", "error"})
_TORN = b'{"id"'
"""How every record line begins: a last line without its newline that begins so is a torn write."""
_JSON_OURS = re.compile(rb'\[\]\s*\Z|\[\n  \{\n    "id": "')
_MD_META = re.compile(r"\*.* · prompt \S+ v\S* · [\d.]+ s( · cached)?\*")


class OutputLock:
    """One run at a time writes ``out``: an exclusive, non-blocking ``fcntl.flock`` on the file itself.

    The kernel drops it when the process ends, even by kill -9, so a crash leaves no stale lock. The path is
    stat'ed again once locked: had another run replaced the file meanwhile, the new one is locked instead. A
    second run fails at once with :class:`OutputBusy` naming the holder's pid (from /proc/locks, where there is
    one). The file is created if missing, so the lock is taken before anything is computed."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.fd: int | None = None
        self._held: list[int] = []
        """Locks on files a repair replaced: held to the end, a run that opened one before is refused too."""

    def __enter__(self) -> OutputLock:
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            for _ in range(8):
                self.fd = self._lock()
                if self.fd is not None:
                    return self
        except OSError as exc:
            raise OutputUnwritable.of(self.out, exc, "open") from None
        raise OutputBusy(f"{self.out} keeps being replaced by another program")

    def _lock(self) -> int | None:
        """The locked file's descriptor, or None when the path was replaced between open and lock."""
        fd = os.open(self.out, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NONBLOCK, 0o644)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise OutputNotOurs(f"{self.out} is not a regular file", hint="give -o a file name")
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(st)
                raise OutputBusy(f"{self.out} is being written by another wirebrief run"
                                 + (f" (pid {holder})" if holder else "")) from None
            now = os.stat(self.out)
        except BaseException:
            os.close(fd)
            raise
        if (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino):
            return fd
        os.close(fd)
        return None

    def adopt(self, fd: int) -> None:
        """``fd``, locked, now has the output's name (a repair replaced the file); keep the old lock too."""
        if self.fd is not None:
            self._held.append(self.fd)
        self.fd = fd

    def same_file(self, paths: Iterable[Path]) -> Path | None:
        """The first of ``paths`` that is the locked file itself (an input given as the output)."""
        if self.fd is None:
            return None
        st = os.fstat(self.fd)
        for path in paths:
            with contextlib.suppress(OSError):
                other = os.stat(path)
                if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
                    return path
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        for fd in [*self._held, *([self.fd] if self.fd is not None else [])]:
            os.close(fd)  # closing the last descriptor of the file drops its flock
        self.fd, self._held = None, []


def _holder(st: os.stat_result) -> int | None:
    """The pid holding a flock on this inode, from Linux's /proc/locks (``1: FLOCK ADVISORY WRITE pid maj:min:ino``)."""
    key = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        table = Path("/proc/locks").read_text()
    except OSError:
        return None
    for row in table.splitlines():
        cells = row.split()
        if len(cells) >= 6 and cells[1] == "FLOCK" and cells[5] == key and cells[4].isdigit():
            return int(cells[4])
    return None


@dataclass
class _Scan:
    """What an existing record file holds: id → (ok, offset, length) of the line kept for it."""

    kept: dict[str, tuple[bool, int, int]] = field(default_factory=dict)
    end: int = 0
    """Bytes up to the torn last record (the whole file when there is none)."""
    dirty: bool = False
    """A line must go (a repeated id, or an error record with ``drop_failed``): the file is rewritten."""
    newline: bool = False
    """The last record is whole but lacks its newline: one is appended."""


def existing_records(out: Path, *, drop_failed: bool = False, lock: OutputLock | None = None,
                     force: bool = False) -> dict[str, bool]:
    """Ids already in ``out`` (id → ok), read line by line. Call it holding the :class:`OutputLock` (``lock``).

    Raises :class:`OutputNotOurs`, the file untouched, when a line is not a wirebrief record (``force``: the
    file is emptied instead and the run starts afresh). Repairs the file: a torn last record is cut in place, a
    repeated id keeps one record (a brief over an error), with ``drop_failed`` error records go; a rewrite goes
    to a new file, fsynced and moved into place, so a crash during the repair loses nothing either."""
    try:
        with out.open("r+b") as f:
            try:
                scan = _scan(f, out, drop_failed)
            except OutputNotOurs:
                if not force:
                    raise
                f.truncate(0)
                os.fsync(f.fileno())
                return {}
            if scan.dirty:
                _rewrite(out, f, scan, lock)
            elif scan.newline or scan.end < os.fstat(f.fileno()).st_size:
                f.truncate(scan.end)
                f.seek(scan.end)
                f.write(b"\n" if scan.newline else b"")
                f.flush()
                os.fsync(f.fileno())
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise OutputUnwritable.of(out, exc, "repair") from None
    return {rid: ok for rid, (ok, _, _) in scan.kept.items()}


def _scan(f: BinaryIO, out: Path, drop_failed: bool) -> _Scan:
    scan = _Scan()
    offset = 0
    for n, line in enumerate(iter(partial(f.readline, LINE_MAX + 1), b""), 1):
        record = _record(line) if len(line) <= LINE_MAX else None
        if record is None:
            torn = not line.endswith(b"\n") and len(line) <= LINE_MAX and (
                line.startswith(_TORN) or _TORN.startswith(line))
            if torn:
                break
            raise OutputNotOurs(f"{out} is not a wirebrief record file (line {n} is not a record), so it is left "
                                "as it was", hint="wirebrief only resumes a file of its own records and never "
                                "deletes a line it did not write: fix or remove that line, give -o a new file, "
                                "or add --force to start that file afresh")
        rid, ok = record
        scan.newline = not line.endswith(b"\n")
        if (drop_failed and not ok) or (rid in scan.kept and (scan.kept[rid][0] or not ok)):
            scan.dirty = True
        else:
            scan.dirty = scan.dirty or rid in scan.kept
            scan.kept[rid] = (ok, offset, len(line))
        offset += len(line)
    scan.end = offset
    return scan


def _record(line: bytes) -> tuple[str, bool] | None:
    """(id, ok) of a record line as wirebrief writes it; None for anything else."""
    if not line.startswith(_TORN):
        return None
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("id"), str) or not record.keys() <= _KEYS:
        return None
    brief, error = record.get("brief"), record.get("error")
    return (record["id"], brief is not None) if isinstance(brief, dict) != isinstance(error, dict) else None


def _rewrite(out: Path, f: BinaryIO, scan: _Scan, lock: OutputLock | None) -> None:
    """The kept lines into a new file beside the real one (a symlink's target), locked before it replaces it."""
    real = Path(os.path.realpath(out))
    fd, tmp = tempfile.mkstemp(prefix=".wirebrief-", suffix=".tmp", dir=real.parent)  # short: NAME_MAX-safe
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with os.fdopen(os.dup(fd), "wb") as new:
            for _, start, length in scan.kept.values():
                f.seek(start)
                line = f.read(length)
                new.write(line if line.endswith(b"\n") else line + b"\n")
            new.flush()
            os.fchmod(new.fileno(), stat.S_IMODE(os.fstat(f.fileno()).st_mode))
            os.fsync(new.fileno())
        os.replace(tmp, real)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(real.parent)
    if lock is not None:
        lock.adopt(fd)
    else:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)  # the rename itself is durable
    finally:
        os.close(fd)


def check_replaceable(out: Path, fmt: str, *, force: bool = False) -> None:
    """Refuse (:class:`OutputNotOurs`) to overwrite a non-empty file with ``--format json``/``md`` output unless it
    is that format's earlier output (a JSON array of records, our Markdown), or ``force``."""
    try:
        with out.open("rb") as f:
            head = f.read(65536)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputUnwritable.of(out, exc, "read") from None
    if force or not head.strip() or _ours(head, fmt):
        return
    raise OutputNotOurs(f"{out} exists and is not an earlier --format {fmt} output of wirebrief, so it is left as "
                        "it was")


def _ours(head: bytes, fmt: str) -> bool:
    if fmt == "json":
        return _JSON_OURS.match(head) is not None
    lines = head.decode("utf-8", "replace").split("\n")
    return (len(lines) > 2 and lines[0].startswith("## ")
            and (lines[0].endswith(": failed") or _MD_META.fullmatch(lines[2]) is not None))


def write_whole(out: Path, text: str) -> None:
    """A ``--format json``/``md`` output, whole: to a new file moved over the old one (a symlink's target), so
    a full disk leaves the old file as it was."""
    real = Path(os.path.realpath(out))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".wirebrief-", suffix=".tmp", dir=real.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as new:
                new.write(text)
                new.flush()
                with contextlib.suppress(OSError):
                    os.fchmod(new.fileno(), stat.S_IMODE(os.stat(real).st_mode))
                os.fsync(new.fileno())
            os.replace(tmp, real)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise OutputUnwritable.of(out, exc) from None


class JsonlWriter:
    """Appends one record per line and fsyncs it before the next. An OS error (disk full, the size limit)
    becomes :class:`OutputUnwritable`: the run stops; what was written stays, a torn last line is cut next time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("a", encoding="utf-8")
        except OSError as exc:
            raise OutputUnwritable.of(path, exc, "open") from None

    def __call__(self, record: BriefRecord) -> None:
        try:
            self._file.write(record.model_dump_json(exclude_none=True) + "\n")
            self._file.flush()
            os.fsync(self._file.fileno())
        except OSError as exc:
            raise OutputUnwritable.of(self.path, exc) from None

    def close(self) -> None:
        with contextlib.suppress(OSError):  # the error, if any, was raised by the write that met it
            self._file.close()
