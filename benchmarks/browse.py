"""How browsing and exporting scale: every page gloss serve offers, every export and
`gloss conflicts`, on N synthetic notes.

Run by hand (not a test):

    .venv/bin/python benchmarks/browse.py --notes 10000 [--keep DIR]

It writes N notes in the real format (benchmarks/corpus.py; with --keep, notes already in
DIR/notes are reused), harvests them cold (`gloss harvest`, its own process), then:

  pages    a real Datasette as `gloss serve` builds it, through its own client: the home
           page (and a search), the database page, every table and view the metadata
           describes (HTML and JSON), each declared facet's first value, every canned
           query, and the pages of the widest term, a conflict and an undefined term.
           Each page is loaded twice; both times are printed, the worse counts.
  exports  each `gloss export` format (and --sources) and `gloss conflicts`, each in its
           own process, with its time as a ratio to the cold harvest and its peak memory.

Targets: every page under 0.5 s; each export and `gloss conflicts` at most 5 % of the
cold harvest, with memory flat in the number of notes. Besides the wall clock, each page's
and each run's CPU seconds are printed (a page's: this process's, all threads; a run's:
its whole process tree's): on a busy machine they say more than the wall clock does.
`--reuse` (with `--keep`) times the pages and exports again on the glossary and cold
harvest figures of an earlier run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from corpus import generate
from scale import GLOSS, measure

PAGE_TARGET = 0.5
EXPORT_TARGET = 0.05


def page_paths(db: Path) -> list[str]:
    """Every page the shipped metadata offers, with gloss's own pages."""
    import sqlite3

    from datasette.utils import tilde_encode

    from glossary.browse.serve import load_metadata

    metadata = load_metadata()["databases"]["glossary"]
    with sqlite3.connect(db) as conn:
        widest = conn.execute("select key from terms order by notes_count desc limit 1"
                              ).fetchone()[0]
        picks = [widest] + [row[0] for row in conn.execute(  # the widest of each
            "select key, max(notes_count) from terms "
            "where status in ('conflict', 'undefined') group by status")]
        japanese = conn.execute("select japanese from terms where key = ?", [widest]
                                ).fetchone()[0].split(", ")[0]
        firsts = {(table, column): conn.execute(  # the value a facet lists first
            f"select [{column}] from [{table}] group by 1 order by count(*) desc limit 1"
        ).fetchone()[0] for table, described in metadata["tables"].items()
            for column in described.get("facets", [])}
    paths = ["/", "/?" + urlencode({"q": widest[:4]}), "/?" + urlencode({"q": japanese[:2]}),
             "/glossary"]
    for table, described in metadata["tables"].items():
        paths += [f"/glossary/{table}", f"/glossary/{table}.json"]  # with declared facets
        for column in described.get("facets", []):  # a click on the facet's first value
            paths.append(f"/glossary/{table}?" + urlencode({column: firsts[table, column]}))
    paths.append("/glossary/terms?" + urlencode({"_search": japanese[:2]}))
    for name, query in metadata["queries"].items():
        params = {"q": widest[:4], "term": widest}
        wanted = [p for p in params if f":{p}" in query["sql"]]
        paths.append(f"/glossary/{name}?" + urlencode({p: params[p] for p in wanted}))
    for key in picks:
        paths.append(f"/glossary/terms/{tilde_encode(key)}")
        paths.append("/glossary/term_cases?" + urlencode({"term_key": key,
                                                          "_sort_desc": "date"}))
    return paths


def cpu(who: int = resource.RUSAGE_SELF) -> float:
    """CPU seconds (user and system) used so far by this process, or by its waited-for
    children: on a busy machine a truer measure than the wall clock."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


async def time_pages(db: Path, paths: list[str]
                     ) -> list[tuple[str, int, float, float, float]]:
    """(path, status, wall seconds first, again, CPU seconds of the worse) per page."""
    from glossary.browse.serve import make_datasette

    datasette = make_datasette(db)
    await datasette.invoke_startup()
    timed = []
    for path in paths:
        times, cpus = [], []
        for _ in range(2):
            start, start_cpu = time.perf_counter(), cpu()
            response = await datasette.client.get(path)
            times.append(time.perf_counter() - start)
            cpus.append(cpu() - start_cpu)
        timed.append((path, response.status_code, *times, max(cpus)))
        print(f"  {max(times):6.3f} s  {path}", file=sys.stderr)
    return timed


def measured(argv: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of the whole process tree, peak MB) of one command."""
    before = cpu(resource.RUSAGE_CHILDREN)
    seconds, peak, *_ = measure(argv)
    return seconds, cpu(resource.RUSAGE_CHILDREN) - before, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000, help="how many notes (10000)")
    parser.add_argument("--keep", type=Path, help="work here and keep the notes and glossary "
                        "(notes already there are reused)")
    parser.add_argument("--no-exports", action="store_true", help="time the pages only")
    parser.add_argument("--no-pages", action="store_true", help="time the exports only")
    parser.add_argument("--reuse", action="store_true", help="with --keep: reuse the glossary "
                        "and cold-harvest figures of an earlier run instead of harvesting")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="gloss-browse-"))
    notes, db = work / "notes", work / "glossary.db"
    try:
        if not notes.is_dir():
            start = time.perf_counter()
            generate(notes, args.notes)
            print(f"generated {args.notes} notes in {time.perf_counter() - start:.1f} s",
                  file=sys.stderr)
        figures = work / "cold-harvest.txt"
        if args.reuse and db.exists() and figures.exists():
            cold, cold_cpu, cold_peak = map(float, figures.read_text().split())
        else:
            for stale in [db, Path(f"{db}-wal"), Path(f"{db}-shm")]:
                stale.unlink(missing_ok=True)
            cold, cold_cpu, cold_peak = measured([GLOSS, "harvest", str(notes), "--db",
                                                  str(db), "--silent"])
            figures.write_text(f"{cold} {cold_cpu} {cold_peak}\n")
        print(f"harvest cold: {cold:.1f} s, {cold_cpu:.1f} CPU s, {cold_peak:.0f} MB",
              file=sys.stderr)

        pages = [] if args.no_pages else asyncio.run(time_pages(db, page_paths(db)))
        runs = [(f"export {fmt}", [GLOSS, "export", str(work / f"out.{fmt}"), "--db", str(db)])
                for fmt in ("csv", "tsv", "json", "tbx")]
        runs += [(f"export --sources {fmt}", [GLOSS, "export", str(work / f"sources.{fmt}"),
                                              "--sources", "--db", str(db)])
                 for fmt in ("csv", "json")]
        runs.append(("export --sort reading csv",
                     [GLOSS, "export", str(work / "reading.csv"), "--sort", "reading",
                      "--db", str(db)]))
        runs.append(("conflicts", [GLOSS, "conflicts", "--db", str(db)]))
        if args.no_exports:
            runs = []
        exports = []
        for name, argv in runs:
            seconds, cpu_seconds, peak = measured(argv)
            exports.append((name, seconds, cpu_seconds, peak))
            print(f"  {name}: {seconds:.2f} s", file=sys.stderr)

        print(f"\n{args.notes} notes; cold harvest {cold:.1f} s ({cold_cpu:.1f} CPU s), "
              f"peak {cold_peak:.0f} MB; load average {os.getloadavg()[0]:.1f} at the end\n")
        print(f"{'page':70} {'status':>6} {'first':>7} {'again':>7} {'CPU':>7}")
        for path, status, first, again, cpu_seconds in pages:
            print(f"{path[:70]:70} {status:6} {first:7.3f} {again:7.3f} {cpu_seconds:7.3f}")
        for label, at in (("wall", lambda p: max(p[2:4])), ("CPU", lambda p: p[4])):
            if not pages:
                break
            worst = max(pages, key=at)
            over = [p for p in pages if at(p) >= PAGE_TARGET or p[1] != 200]
            print(f"\nworst page by {label}: {worst[0]} {at(worst):.3f} s; {len(over)} of "
                  f"{len(pages)} pages at or over {PAGE_TARGET} s or not 200")
        print(f"\n{'run':28} {'seconds':>8} {'÷ cold':>7} {'CPU s':>7} {'÷ cold CPU':>10} "
              f"{'peak MB':>8}")
        for name, seconds, cpu_seconds, peak in exports:
            print(f"{name:28} {seconds:8.2f} {seconds / cold:7.3f} {cpu_seconds:7.2f} "
                  f"{cpu_seconds / cold_cpu:10.3f} {peak:8.0f}")
        print(f"\n(target: ÷ cold ≤ {EXPORT_TARGET})")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
