"""An export of every definition shared by two processes writes what one process writes, and
only from one glossary: a pin committed between the two snapshots, or another gloss holding
the glossary's lock, leaves the whole export to this process."""

from __future__ import annotations

import importlib
import io
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from glossary.db import open_db
from glossary.terms import pin_definition

halves = importlib.import_module("glossary.browse.halves")
export_module = importlib.import_module("glossary.browse.export")

HEAVY = [{"fmt": "json"}, {"fmt": "json", "sort": "reading"}, {"fmt": "json", "sources": True},
         {"fmt": "csv", "sources": True}, {"fmt": "tsv", "sources": True, "excel": True}]


@pytest.fixture
def glossary(bundled_glossary: Path, tmp_path: Path) -> Path:
    """A private copy of the bundled notes' glossary (tests here pin and lock it)."""
    copy = tmp_path / "glossary.db"
    shutil.copy(bundled_glossary, copy)
    return copy


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> list:
    """Every worker started (None where it was refused), with no minimum of work."""
    monkeypatch.setattr(halves, "PARALLEL_FROM", 0)
    started: list = []
    start = halves._Worker.start.__func__

    def spy(cls, *args):
        worker = start(cls, *args)
        started.append(worker)
        return worker

    monkeypatch.setattr(halves._Worker, "start", classmethod(spy))
    return started


def exported(path: Path, **options: object) -> str:
    out = io.StringIO(newline="")
    export_module.export(open_db(path, create=False, readonly=True), out, **options)
    return out.getvalue()


def one_process(path: Path, **options: object) -> str:
    minimum = halves.PARALLEL_FROM
    halves.PARALLEL_FROM = 10**12
    try:
        return exported(path, **options)
    finally:
        halves.PARALLEL_FROM = minimum


@pytest.mark.parametrize("options", HEAVY)
def test_two_processes_write_what_one_writes(glossary: Path, workers: list,
                                             options: dict) -> None:
    alone = one_process(glossary, **options)
    assert exported(glossary, **options) == alone
    assert len(workers) == 1 and workers[0] is not None  # the second half was the worker's


def test_a_pin_between_the_two_snapshots_leaves_the_export_to_one_process(
        glossary: Path, workers: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = one_process(glossary, fmt="json")
    with exporting_json(glossary, tmp_path, monkeypatch) as result:
        # the worker waits before its snapshot; ours is taken
        pin_definition(open_db(glossary, create=False), "calcinosis", "石灰化")

    assert workers == [None]  # its pins were not ours: refused
    assert result == [before]  # the glossary as it was when the export began
    assert one_process(glossary, fmt="json") != before  # the pin did change the glossary


def test_another_gloss_holding_the_lock_leaves_the_export_to_one_process(
        glossary: Path, workers: list) -> None:
    alone = one_process(glossary, fmt="json")
    holder = subprocess.Popen(  # another gloss, as a harvest would hold it
        [sys.executable, "-c", "import sys\nfrom glossary.db import glossary_lock\n"
         f"with glossary_lock({str(glossary)!r}):\n"
         "    print('held', flush=True)\n    sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert exported(glossary, fmt="json") == alone  # without waiting for it
    finally:
        holder.communicate("")
    assert workers == []  # no worker was started


@contextmanager
def exporting_json(glossary: Path, tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A JSON export in a thread, its worker waiting before its snapshot for the block
    (this process's snapshot is taken); the export's text once the block is done."""
    pauses = tmp_path / "pauses"
    pauses.mkdir()
    monkeypatch.setenv("GLOSS_PAUSE_AT", "export-worker-before-snapshot")
    monkeypatch.setenv("GLOSS_PAUSE_DIR", str(pauses))
    result: list[str] = []
    exporting = threading.Thread(target=lambda: result.append(exported(glossary, fmt="json")))
    exporting.start()
    marker = _wait_for(pauses)
    try:
        yield result
    finally:  # released even when the block fails, so no export is left waiting
        marker.unlink()
        exporting.join()


def _wait_for(pauses: Path) -> Path:
    """The pause marker, once the worker has reached its point (no clock raced)."""
    while True:
        found = list(pauses.iterdir())
        if found:
            return found[0]
        threading.Event().wait(0.005)


def test_a_worker_that_dies_leaves_its_half_to_this_process(
        glossary: Path, workers: list, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = one_process(glossary, fmt="csv", sources=True)
    start = halves._Worker.start.__func__

    def killed(cls, *args):
        worker = start(cls, *args)
        worker.process.kill()  # after its snapshot, before it reports its rows
        return worker

    monkeypatch.setattr(halves._Worker, "start", classmethod(killed))
    assert exported(glossary, fmt="csv", sources=True) == alone


def test_no_room_for_the_workers_file_leaves_the_export_to_one_process(
        glossary: Path, workers: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = one_process(glossary, fmt="json")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "gone"))  # mkstemp fails there
    assert exported(glossary, fmt="json") == alone
    assert workers == [None]


def test_the_workers_file_is_never_left_in_the_temporary_folder(
        glossary: Path, workers: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = one_process(glossary, fmt="json")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    with exporting_json(glossary, tmp_path, monkeypatch) as result:
        # the worker is running and holds the file: killing both here would leave nothing
        while_working = list(temporary.iterdir())
    assert while_working == []
    assert result == [alone] and workers[0] is not None
    assert list(temporary.iterdir()) == []
