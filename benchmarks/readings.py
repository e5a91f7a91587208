"""Reading accuracy, in sample and out of sample, with timings and an ablation of every rule.

Run by hand (not a test; needs ``pip install jamdict-data``):

    .venv/bin/python benchmarks/readings.py [--misses N] [--folds N]

The medical list: every usual JMdict word (first kanji form of an entry) tagged medicine,
anatomy, physiology, pharmacy or biochemistry, or whose first glosses name a medical thing
(disease, syndrome, -itis, -ectomy, nerve, drug, …) and which is written in kanji and
katakana only (no Latin letters or digits, which the engine leaves to romaji). It is split
once, by a seeded shuffle (SEED), into a **dev** half (looked at while developing: in-sample)
and a **held-out** half (only scored; its misses are never printed). The engine is scored
with tables (glossary.readings.learn) built from JMdict less every kanji form of every entry
on the list, so neither half is in what the engine looks up or learns from: the score
measures what it generalises. The shipped tables hold those words too (a lookup), shown
on a row of their own. ``--folds N`` also scores both halves with each word absent alone:
N builds, each leaving out one fold's entries and keeping the rest of JMdict, the other
listed words too (a new term among known ones; about 10 s a build).
``../shared/readings/medical-readings.tsv`` shaped the engine: in-sample.

Accepted readings: JMdict's readings of the word, and where a word holds one of the pairs
in DUAL (readings in real use both ways), the other reading of the pair too.
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from glossary.readings import ReadingEngine  # noqa: E402
from glossary.readings.kanji import is_kanji  # noqa: E402
from glossary.readings.romaji import kata_to_hira, to_romaji  # noqa: E402

SHARED_TSV = ROOT.parent / "shared" / "readings" / "medical-readings.tsv"
SEED = 16
FIELDS = {"medicine", "anatomy", "physiology", "pharmacy", "biochemistry"}
OTHER_FIELDS = {"computing", "Buddhism", "Shinto", "Christianity", "sumo", "baseball",
                "mahjong", "shogi", "hanafuda", "video game", "finance", "military"}
GLOSS = re.compile(
    r"\b(diseases?|disorders?|syndromes?|inflammation|\w+itis|tumou?rs?|cancers?|carcinomas?"
    r"|\w+omas?|lesions?|surgery|\w+ectomy|\w+otomy|\w+ostomy|\w+scopy|\w+plasty|arter(?:y|ies)"
    r"|veins?|muscles?|bones?|nerves?|glands?|infections?|symptoms?|antibiotics?|vaccines?"
    r"|vaccination|an(?:a)?esthe\w+|ulcers?|hernia|paralysis|palsy|atrophy|stenosis|sclerosis"
    r"|thrombosis|embolism|ha?emorrhage|diagnosis|therapy|congenital|deficiency|insufficiency"
    r"|pneumonia|diabetes|hypertension|virus|bacteri(?:um|a)|dementia|medical|drugs?"
    r"|medicines?|poisoning|fever|fractures?|injury|wounds?|tissues?|membranes?|ligaments?"
    r"|tendons?|vertebra[el]?|cartilage|lymph\w*|hormones?|enzymes?|secretion|pathogens?"
    r"|epidemic|chronic|acute|benign|malignant|surgical|clinical|disinfect\w*|tablets?"
    r"|ointment|injection|suture|biopsy|transplant\w*)\b",
    re.I,
)
NOT_MEDICAL = re.compile(r"\b(diploma|aroma|stoma)\b", re.I)
DUAL = [("腔", "こう", "くう"), ("頭蓋", "ずがい", "とうがい"), ("分泌", "ぶんぴつ", "ぶんぴ"),
        ("重複", "ちょうふく", "じゅうふく"), ("肉芽", "にくが", "にくげ")]

Rows = list[tuple[str, set[str]]]
ReadFn = Callable[[str], str]


def accepted(text: str, readings: tuple[str, ...] | list[str]) -> set[str]:
    out = set(readings)
    for form, a, b in DUAL:
        if form in text:
            out |= {r.replace(a, b) for r in out} | {r.replace(b, a) for r in out}
    return out


def _medical(word) -> bool:
    if word.fields & FIELDS:
        return True
    if word.fields & OTHER_FIELDS or not word.first:
        return False
    if any(not is_kanji(c) and not ("ァ" <= c <= "ヺ" or c == "ー") for c in word.text):
        return False
    return any(GLOSS.search(g) and not NOT_MEDICAL.search(g) for g in word.glosses[:2])


def medical_halves() -> tuple[Rows, Rows, dict[str, set[str]]]:
    """(dev, held-out, per listed term every kanji form of its entry)."""
    from glossary.readings.jmdict import words

    vocabulary = list(words())
    chosen: dict[str, tuple[int, set[str]]] = {}
    for w in vocabulary:
        if (w.first and any(is_kanji(c) for c in w.text) and _medical(w)
                and not re.search(r"[A-Za-zＡ-Ｚａ-ｚ0-9０-９]", w.text)):
            chosen.setdefault(w.text, (w.idseq, set()))[1].update(
                r.replace("・", "") for r in w.readings)
    terms = sorted(chosen)
    random.Random(SEED).shuffle(terms)
    half = len(terms) // 2
    dev = [(t, accepted(t, sorted(chosen[t][1]))) for t in terms[:half]]
    held = [(t, accepted(t, sorted(chosen[t][1]))) for t in terms[half:]]
    forms: dict[int, set[str]] = {}
    for w in vocabulary:
        forms.setdefault(w.idseq, set()).add(w.text)
    return dev, held, {t: forms[chosen[t][0]] for t in terms}


def shared_rows() -> Rows:
    rows = []
    for line in SHARED_TSV.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            term, _, readings = line.partition("\t")
            rows.append((term.strip(), accepted(term, [r.strip() for r in readings.split("|")])))
    return rows


def pykakasi_reader() -> ReadFn:
    import pykakasi

    kks = pykakasi.kakasi()
    return lambda s: "".join(item["hira"] for item in kks.convert(s))


def sudachi_reader() -> ReadFn:
    from sudachipy import Dictionary, SplitMode

    tok = Dictionary(dict="core").tokenizer()
    return lambda s: kata_to_hira("".join(m.reading_form() for m in tok.tokenize(s, SplitMode.C)))


def engine_reader(**options) -> Callable[[], ReadFn]:
    def make() -> ReadFn:
        engine = ReadingEngine(**options)
        return lambda s: engine.read(s).hiragana

    return make


def accuracy(fn: ReadFn, rows: Rows) -> tuple[float, list[tuple[str, str, set[str]]]]:
    misses = [(t, got, ok) for t, ok in rows if (got := fn(t).replace(" ", "")) not in ok]
    return 100 * (1 - len(misses) / len(rows)), misses


def timed(factory: Callable[[], ReadFn], rows: Rows) -> tuple[ReadFn, float, float]:
    """(reader, cold ms: construction and first term, warm ms per term)."""
    start = time.perf_counter()
    fn = factory()
    fn(rows[0][0])
    cold = (time.perf_counter() - start) * 1000
    for t, _ in rows:
        fn(t)
    start = time.perf_counter()
    for t, _ in rows:
        fn(t)
    return fn, cold, (time.perf_counter() - start) * 1000 / len(rows)


def romaji_property(make: Callable[[], ReadingEngine], sets: dict[str, Rows]) -> str:
    engine = make()
    bad = []
    total = 0
    for rows in sets.values():
        for term, _ in rows:
            total += 1
            r = engine.read(term)
            latin = {w.lower() for w in re.findall(r"[A-Za-z0-9]+(?:[.\-'][A-Za-z0-9]+)*",
                                                   unicodedata.normalize("NFKC", term))}
            jp = "".join(w for w in r.romaji.split() if w not in latin)
            if jp != to_romaji(r.hiragana):
                bad.append((term, r.hiragana, r.romaji))
    return f"romaji == Hepburn(hiragana) on {total - len(bad)}/{total} terms; failures: {bad[:5]}"


def main(argv: list[str]) -> int:
    show = int(argv[argv.index("--misses") + 1]) if "--misses" in argv else 0
    dev, held, entry_forms = medical_halves()
    listed = set().union(*entry_forms.values())
    shared = shared_rows() if SHARED_TSV.exists() else []
    print(f"medical list from JMdict: {len(dev)} dev (in-sample), {len(held)} held-out; "
          f"{len(listed)} kanji forms of their entries left out of the engine's tables")
    tmp = tempfile.TemporaryDirectory()
    unseen = Path(tmp.name)
    from glossary.readings.learn import build

    start = time.perf_counter()
    build(unseen, listed)
    print(f"built tables without the listed words in {time.perf_counter() - start:.1f} s\n")
    long_held = [(t, ok) for t, ok in held if len(t) >= 4]
    sets = {"dev (in)": dev, "held-out (out)": held, "held-out ≥4 chars (out)": long_held,
            "shared (in)": shared}
    readers = {
        "pykakasi": pykakasi_reader,
        "SudachiPy core, mode C": sudachi_reader,
        "gloss engine, tables without the list": engine_reader(data=unseen, rules_off=()),
        "gloss engine, shipped tables (lookup)": engine_reader(rules_off=()),
    }
    names = [n for n, rows in sets.items() if rows]
    print("| reader | " + " | ".join(f"{n} ({len(sets[n])})" for n in names)
          + " | cold ms | warm ms/term |")
    print("|---" * (len(names) + 3) + "|")
    missed = {}
    for name, factory in readers.items():
        fn, cold, warm = timed(factory, held)
        cells = []
        for n in names:
            score, misses = accuracy(fn, sets[n])
            cells.append(f"{score:.1f}%")
            missed[name, n] = misses
        print(f"| {name} | " + " | ".join(cells) + f" | {cold:.0f} | {warm:.3f} |")
    print("\nAblation (tables without the list; each rule switched off alone):\n")
    print("| rule off | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    from glossary.readings.rules import RULES

    for rule in ["(none)", *(name for name, _, _ in RULES)]:
        fn = engine_reader(data=unseen, rules_off=() if rule == "(none)" else (rule,))()
        cells = []
        for n in names:
            score, misses = accuracy(fn, sets[n])
            cells.append(f"{score:.1f}% ({len(misses)} wrong)")
        print(f"| {rule} | " + " | ".join(cells) + " |")
    print()
    print(romaji_property(lambda: ReadingEngine(data=unseen, rules_off=()), sets))
    print(romaji_property(lambda: ReadingEngine(rules_off=()), sets))
    if show:  # never the held-out misses: that half is only scored
        for n in ("dev (in)", "shared (in)"):
            misses = missed["gloss engine, tables without the list", n]
            print(f"\n== misses on {n} (first {show} of {len(misses)})")
            for t, got, ok in misses[:show]:
                print(f"   {t}\t{got}\t(expected {'|'.join(sorted(ok))})")
    tmp.cleanup()
    if "--folds" in argv:
        folds = int(argv[argv.index("--folds") + 1])
        print(f"\nEach word absent alone ({folds} folds; the rest of JMdict, the other listed "
              "words included, in the tables):\n")
        for n in ("dev (in)", "held-out (out)"):
            print(folded(sets[n], entry_forms, folds, n))
    return 0


def folded(rows: Rows, entry_forms: dict[str, set[str]], folds: int, name: str) -> str:
    """Accuracy with each fold's words (every form of their entries) left out of tables
    built from the rest of JMdict: a new term among known ones, as a note's disease name is."""
    from glossary.readings.learn import build

    wrong = long_wrong = 0
    for f in range(folds):
        fold = rows[f::folds]
        with tempfile.TemporaryDirectory() as tmp:
            build(Path(tmp), set().union(*(entry_forms[t] for t, _ in fold)))
            _, misses = accuracy(engine_reader(data=Path(tmp), rules_off=())(), fold)
        wrong += len(misses)
        long_wrong += sum(len(t) >= 4 for t, _, _ in misses)
    long_rows = sum(len(t) >= 4 for t, _ in rows)
    return (f"- {name}: {100 * (1 - wrong / len(rows)):.1f}% ({wrong} wrong of {len(rows)}); "
            f"≥4 characters {100 * (1 - long_wrong / long_rows):.1f}% ({long_wrong} of "
            f"{long_rows})")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
