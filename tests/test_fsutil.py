from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from kg.errors import BuildLockedError
from kg.fsutil import atomic_symlink, atomic_write_text, build_lock


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "f.txt"
    atomic_write_text(target, "one")
    atomic_write_text(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["f.txt"]  # no temp files left


def test_atomic_write_gives_the_permissions_of_a_new_file(tmp_path: Path) -> None:
    """Not the owner-only mode of the temporary file: another user (a web server) may read a build."""
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    target = tmp_path / "f.txt"
    atomic_write_text(target, "x")
    assert target.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
    assert target.stat().st_mode & 0o044 == 0o044 or plain.stat().st_mode & 0o044 != 0o044


def test_atomic_write_failure_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f.txt"
    atomic_write_text(target, "good")

    def crash(fd: int) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk on fire"):
        atomic_write_text(target, "bad")
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]  # the temp file is cleaned up


def test_atomic_symlink_swaps(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    link = tmp_path / "current"
    atomic_symlink("a", link)
    atomic_symlink("b", link)
    assert os.readlink(link) == "b"


def _hold_lock(out: str, ready: multiprocessing.synchronize.Event, release: multiprocessing.synchronize.Event) -> None:
    with build_lock(Path(out)):
        ready.set()
        release.wait(10)


def test_second_build_is_refused_while_first_holds_lock(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_hold_lock, args=(str(tmp_path), ready, release))
    proc.start()
    try:
        assert ready.wait(20)
        with pytest.raises(BuildLockedError, match="another build"):
            with build_lock(tmp_path, wait=0.3):
                pass
    finally:
        release.set()
        proc.join(10)
    with build_lock(tmp_path):  # free again once the holder is gone
        pass


def test_lock_released_when_holder_is_killed(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_hold_lock, args=(str(tmp_path), ready, release))
    proc.start()
    assert ready.wait(20)
    proc.kill()
    proc.join(10)
    with build_lock(tmp_path, wait=2):
        pass
