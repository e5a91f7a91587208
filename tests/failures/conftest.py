"""What the failure tests share: gloss run as a real process (as root or as an unprivileged
user), and real places that fail: a read-only bind mount and a small tmpfs.

Mounting needs root and a system that permits it; without either, the tests that need a
mount skip, saying why. Every mount is unmounted in a `finally`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

GLOSS = str(Path(sys.executable).parent / "gloss")
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

NOTE_A = """\
# [Tumoral Calcinosis][2024_A]

The [flank] and [syncope].

[2024_A]: https://www.nejm.org/doi/full/10.1056/NEJMicm2401173
[flank]: # "側腹部"
[syncope]: # "失神"
"""
NOTE_B = """\
# [Heart Block][2024_B]

After [syncope], the [flank].

[2024_B]: https://www.nejm.org/doi/full/10.1056/NEJMicm2409903
[flank]: # "側腹部"
[syncope]: # "気絶"
"""


def run_gloss(*args: str | Path, cwd: Path | None = None, as_nobody: bool = False,
              stdin: str | None = None) -> subprocess.CompletedProcess:
    """gloss as a real process; never a traceback, whatever it says."""
    command = [*(NOBODY if as_nobody else []), GLOSS, *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, input=stdin,
                          timeout=600)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


@pytest.fixture
def gloss_run() -> Callable[..., subprocess.CompletedProcess]:
    """gloss_run(*args, cwd=None, as_nobody=False) -> the finished process."""
    return run_gloss


@pytest.fixture
def two_notes(tmp_path: Path, write_notes) -> Path:
    """A notes folder of two notes: an agreed term (flank) and a tie (syncope)."""
    return write_notes(tmp_path / "notes", {"NEJM/2024-01-11_62M.md": NOTE_A,
                                            "NEJM/2024-06-20_80F.md": NOTE_B})


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True)


def _need_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root: it mounts a read-only view or a small tmpfs")
    if shutil.which("mount") is None:
        pytest.skip("the mount command is absent")


@pytest.fixture
def read_only_view() -> Iterator[Callable[[Path, Path], Path]]:
    """read_only_view(folder, at) -> `at`, a read-only bind mount of `folder`."""
    _need_root()
    mounted: list[Path] = []

    def view(folder: Path, at: Path) -> Path:
        at.mkdir(parents=True, exist_ok=True)
        bound = _mount("--bind", str(folder), str(at))
        if bound.returncode:
            pytest.skip(f"mount --bind is not permitted here: {bound.stderr.strip()}")
        mounted.append(at)
        made_ro = _mount("-o", "remount,ro,bind", str(at))
        if made_ro.returncode:
            pytest.skip(f"a read-only remount is not permitted here: {made_ro.stderr.strip()}")
        return at

    try:
        yield view
    finally:
        for at in reversed(mounted):
            _umount(at)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """small_disk(kib) -> the folder of a new tmpfs of that size (unmounted afterwards)."""
    _need_root()
    mounted: list[Path] = []

    def disk(kib: int) -> Path:
        at = tmp_path / f"disk{len(mounted)}"
        at.mkdir()
        done = _mount("-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", str(at))
        if done.returncode:
            pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.strip()}")
        mounted.append(at)
        return at

    try:
        yield disk
    finally:
        for at in reversed(mounted):
            _umount(at)


def fill(disk: Path, leave_kib: int) -> Path:
    """Fill the file system of `disk` until `leave_kib` KiB are left; returns the filler."""
    info = os.statvfs(disk)
    free = info.f_bavail * info.f_frsize
    filler = disk / ("filler" if leave_kib else "filler-to-the-last-byte")
    with open(filler, "wb") as out:
        os.posix_fallocate(out.fileno(), 0, max(free - leave_kib * 1024, 1))
    return filler


@pytest.fixture
def fill_disk() -> Callable[[Path, int], Path]:
    """fill_disk(folder, leave_kib) -> the filler file (remove it to free the space)."""
    return fill


@contextmanager
def world_readable_folder() -> Iterator[Path]:
    """A folder an unprivileged user can reach (pytest's own are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="gloss-failures-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(folder)


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder reachable by the unprivileged user; skips unless that user can run gloss."""
    if os.geteuid() != 0:
        pytest.skip("needs root, to run gloss as another, unprivileged user")
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv is absent: cannot run gloss as an unprivileged user")
    probe = subprocess.run([*NOBODY, GLOSS, "--version"], capture_output=True, text=True)
    if probe.returncode:
        pytest.skip(f"the unprivileged user cannot run gloss here: {probe.stderr.strip()}")
    with world_readable_folder() as folder:
        yield folder
