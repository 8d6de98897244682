"""db/files.py, the one atomic write both ends use: whole or not at all, owner-only, no leftovers."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from db import files, pin
from db.sync import enrollment

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_whole_content_replaces_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    parts = [bytes([n]) * 100_000 for n in range(10)]
    files.write_atomically(target, parts)
    assert target.read_bytes() == b"".join(parts)
    assert os.listdir(tmp_path) == ["out.bin"]


@POSIX
def test_mode_is_0600_also_over_a_world_readable_file_and_a_loose_umask(tmp_path: Path) -> None:
    target = tmp_path / "secret.json"
    target.write_text("{}")
    target.chmod(0o644)
    old_umask = os.umask(0)
    try:
        files.write_atomically(target, b"{\"a\": 1}")
    finally:
        os.umask(old_umask)
    assert _mode(target) == 0o600


def test_text_writer_keeps_encoding_and_newlines(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with files.open_atomic_text(target, encoding="utf-8-sig", newline="") as out:
        out.write("اسم,Name\r\n")
    assert target.read_bytes() == "\ufeffاسم,Name\r\n".encode()


def test_a_failure_while_writing_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_text("the previous export")
    with pytest.raises(RuntimeError), files.open_atomic_text(target) as out:
        out.write("half of a new ")
        raise RuntimeError("the database went away")
    assert target.read_text() == "the previous export"
    assert os.listdir(tmp_path) == ["export.csv"]


def test_a_failing_rename_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_text("x")  # a non-empty folder cannot be replaced by a file
    with pytest.raises(OSError):
        files.write_atomically(target, b"data")
    assert sorted(os.listdir(tmp_path)) == ["taken"]


def test_a_missing_folder_is_an_error_not_a_stray_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        files.write_atomically(tmp_path / "missing" / "out.bin", b"data")
    assert os.listdir(tmp_path) == []


def test_the_folder_is_fsynced_after_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    folder_fds: set[int] = set()
    real_open = os.open

    def tracking_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        fd = real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]
        if Path(str(path)) == tmp_path:
            folder_fds.add(fd)
        return fd

    def tracking_fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "open", tracking_open)
    monkeypatch.setattr(os, "fsync", tracking_fsync)
    files.write_atomically(tmp_path / "out.bin", b"data")
    assert len(synced) == 2  # the file's contents, then the folder's entry
    assert synced[-1] in folder_fds


@POSIX
@pytest.mark.parametrize("write", [
    pytest.param(lambda path: pin._write(path, {"algorithm": "scrypt"}), id="pin"),
    pytest.param(lambda path: enrollment.write_private(path, b"token"), id="enrollment"),
])
def test_the_device_writers_use_it(tmp_path: Path, write: object, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "file"
    target.write_text("old")
    target.chmod(0o644)
    write(target)  # type: ignore[operator]
    assert _mode(target) == 0o600
    assert os.listdir(tmp_path) == ["file"]

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "I/O error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write(target)  # type: ignore[operator]
    assert os.listdir(tmp_path) == ["file"]  # pin._write used to leave coordinator-pin.tmp behind
