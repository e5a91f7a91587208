"""Score reading functions on a TSV of ``japanese<TAB>accepted|readings``.

Run by hand (not a test):  .venv/bin/python benchmarks/readings.py [TSV]

For pykakasi alone, SudachiPy alone, fugashi+unidic-lite alone (skipped when not
importable) and the project's ReadingEngine it prints accuracy (hiragana compared
with spaces removed against any accepted reading), the misses, the cold-start
time (construction plus first read) and the mean time per term after a warm-up.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_TSV = ROOT.parent / "shared" / "readings" / "medical-readings.tsv"

ReadFn = Callable[[str], str]


def load_tsv(path: Path) -> list[tuple[str, list[str]]]:
    """Return (japanese, accepted readings) pairs, skipping comments and blanks."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        japanese, _, readings = line.partition("\t")
        rows.append((japanese.strip(), [r.strip() for r in readings.split("|") if r.strip()]))
    return rows


def _kata_to_hira(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def make_pykakasi() -> ReadFn:
    import pykakasi

    kks = pykakasi.kakasi()
    return lambda s: "".join(item["hira"] for item in kks.convert(s))


def make_sudachi() -> ReadFn:
    from sudachipy import Dictionary

    tok = Dictionary(dict="core").tokenizer("C")
    return lambda s: _kata_to_hira("".join(m.reading_form() for m in tok.tokenize(s)))


def make_fugashi() -> ReadFn:
    import fugashi

    tagger = fugashi.Tagger()

    def read(s: str) -> str:
        out = []
        for word in tagger(s):
            kana = getattr(word.feature, "kana", None)
            out.append(kana if kana and kana != "*" else word.surface)
        return _kata_to_hira("".join(out))

    return read


def make_engine() -> ReadFn:
    from glossary.readings import ReadingEngine

    engine = ReadingEngine()
    return lambda s: engine.read(s).hiragana


CANDIDATES: dict[str, Callable[[], ReadFn]] = {
    "pykakasi": make_pykakasi,
    "sudachi (core, mode C)": make_sudachi,
    "fugashi+unidic-lite": make_fugashi,
    "gloss engine": make_engine,
}


def score(name: str, factory: Callable[[], ReadFn], rows: list[tuple[str, list[str]]]) -> None:
    """Print accuracy, timings and misses of one candidate."""
    start = time.perf_counter()
    try:
        fn = factory()
        fn(rows[0][0])
    except ImportError as exc:
        print(f"== {name}: skipped ({exc})\n")
        return
    cold = time.perf_counter() - start
    for japanese, _ in rows:  # warm-up
        fn(japanese)
    start = time.perf_counter()
    got = [fn(japanese) for japanese, _ in rows]
    per_term_ms = (time.perf_counter() - start) * 1000 / len(rows)
    misses = [
        (japanese, out, accepted)
        for (japanese, accepted), out in zip(rows, got, strict=True)
        if out.replace(" ", "") not in accepted
    ]
    correct = len(rows) - len(misses)
    print(
        f"== {name}: {correct}/{len(rows)} = {100 * correct / len(rows):.1f}%  "
        f"{per_term_ms:.3f} ms/term  cold start {cold:.2f} s"
    )
    for japanese, out, accepted in misses:
        print(f"   {japanese}\t{out}\t(expected {'|'.join(accepted)})")
    print()


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_TSV
    rows = load_tsv(path)
    only = argv[2:]
    print(f"{len(rows)} terms from {path}\n")
    for name, factory in CANDIDATES.items():
        if only and not any(o in name for o in only):
            continue
        score(name, factory, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
