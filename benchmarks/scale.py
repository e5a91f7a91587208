"""How gloss scales: N synthetic notes, timed and measured phase by phase.

Run by hand (not a test):

    .venv/bin/python benchmarks/scale.py --notes 10000 [--keep DIR] [--jobs J]

It writes N notes of about 3 KB in the real format (benchmarks/corpus.py). Then, on the
same files, each phase in its own subprocess:

  floor        read every note and parse it with a plain single-process
               MarkdownIt("commonmark").parse
  cold         gloss harvest with no database
  warm         gloss harvest again, nothing changed
  one changed  gloss harvest after one note was edited
  touched      gloss harvest after every note's modification time changed (bytes unchanged)
  apply        gloss apply after a pin makes many notes need rewriting

and prints the wall time, the ratio to the floor and the peak resident memory: of the
largest single process (ru_maxrss of the waited child, which covers its workers too) and of
the whole process tree, sampled every 100 ms: its RSS summed (which counts the pages that
forked workers share once per process) and its PSS summed (which divides them among their
sharers: what the tree really holds).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from corpus import generate

BIN = Path(sys.executable).parent
GLOSS = str(BIN / "gloss") if (BIN / "gloss").exists() else "gloss"

# --- measuring ------------------------------------------------------------------------------

FLOOR = """
import sys
from pathlib import Path
from markdown_it import MarkdownIt
md = MarkdownIt("commonmark")
n = 0
for file in sorted(Path(sys.argv[1]).rglob("*.md")):
    md.parse(file.read_bytes().decode("utf-8"))
    n += 1
print(n, "notes parsed")
"""


def _tree_memory_kb(root: int) -> tuple[int, int]:
    """(VmRSS, Pss) summed over a process and its descendants (from /proc, Linux only).

    The RSS sum counts a page that forked workers share once per process; the Pss sum
    divides each shared page among its sharers, so it is what the tree really holds.
    """
    rss = pss = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
                        break
            with open(f"/proc/{pid}/task/{pid}/children") as children:
                stack.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return rss, pss


def measure(argv: list[str], **kwargs) -> tuple[float, float, float, float, str]:
    """(seconds, peak MB of the largest process, peak MB of the tree by RSS and by PSS,
    output) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kwargs)
    peak_rss = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_pss
        while not done.is_set():
            rss, pss = _tree_memory_kb(proc.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            done.wait(0.1)  # light: the phases being measured use every core

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{output}")
    return elapsed, usage.ru_maxrss / 1024, peak_rss / 1024, peak_pss / 1024, output.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000, help="how many notes (10000)")
    parser.add_argument("--keep", type=Path, help="write the notes and database here and keep "
                        "them (the notes are generated afresh each run)")
    parser.add_argument("--no-apply", action="store_true", help="skip the apply phase")
    parser.add_argument("--jobs", type=int, help="gloss harvest --jobs (default: every core)")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="gloss-scale-"))
    notes, db = work / "notes", work / "glossary.db"
    try:
        if True:  # always afresh: a previous run's apply has rewritten them
            shutil.rmtree(notes, ignore_errors=True)
            start = time.perf_counter()
            size = generate(notes, args.notes)
            print(f"generated {args.notes} notes, {size / args.notes / 1024:.1f} KB each on "
                  f"average, in {time.perf_counter() - start:.1f} s ({notes})")
        for stale in [db, Path(f"{db}-wal"), Path(f"{db}-shm")]:
            stale.unlink(missing_ok=True)
        harvest = [GLOSS, "harvest", str(notes), "--db", str(db), "--silent"]
        if args.jobs:
            harvest += ["--jobs", str(args.jobs)]
        results: list[tuple[str, float, float, float, float, str]] = []

        def phase(name: str, argv: list[str]) -> None:
            seconds, peak, rss, pss, output = measure(argv)
            results.append((name, seconds, peak, rss, pss,
                            output.splitlines()[-1] if output else ""))
            print(f"  {name}: {seconds:.2f} s", file=sys.stderr)

        phase("floor (read + parse, 1 process)", [sys.executable, "-c", FLOOR, str(notes)])
        phase("harvest cold", [*harvest[:-1]])
        phase("harvest warm", harvest)
        victim = sorted(notes.rglob("*.md"))[len(results)]
        victim.write_text(victim.read_text(encoding="utf-8").replace(
            "the team agreed", "the team then agreed", 1), encoding="utf-8")
        phase("harvest, one note changed", harvest)
        for note in notes.rglob("*.md"):  # as `touch` or a `git checkout` would
            info = note.stat()
            os.utime(note, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))
        phase("harvest, every note touched", harvest)
        if not args.no_apply:
            _apply_phase(db, notes, phase)

        floor = results[0][1]
        print(f"\n{args.notes} notes, {os.cpu_count()} cores")
        print(f"{'phase':34} {'seconds':>9} {'÷ floor':>8} {'peak MB':>8} {'tree RSS':>9} "
              f"{'tree PSS':>9}")
        for name, seconds, peak, rss, pss, _ in results:
            print(f"{name:34} {seconds:9.2f} {seconds / floor:8.2f} {peak:8.0f} {rss:9.0f} "
                  f"{pss:9.0f}")
        print()
        for name, *_, last in results:
            print(f"{name}: {last}")
        cold = results[1][1]
        print(f"\nwarm ÷ cold = {results[2][1] / cold:.3f}; "
              f"one changed ÷ cold = {results[3][1] / cold:.3f}; "
              f"every note touched ÷ cold = {results[4][1] / cold:.3f}")
        if len(results) > 5:
            print(f"apply ÷ cold = {results[5][1] / cold:.2f}")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"(benchmark's own peak: {own:.0f} MB)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def _apply_phase(db: Path, notes: Path, phase) -> None:
    """Pin the most widely conflicting term so that every note defining it needs rewriting."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "select term, japanese from terms where status = 'conflict' "
            "order by notes_count desc limit 20").fetchall()
    for term, japanese in rows:
        subprocess.run([GLOSS, "prefer", term, japanese, "--db", str(db)], check=True,
                       stdout=subprocess.DEVNULL)
    phase("apply (rewrite conflicting notes)", [GLOSS, "apply", str(notes), "--db", str(db)])


if __name__ == "__main__":
    main()
