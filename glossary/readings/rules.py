"""The reading rules, in the order the engine runs them (see RULES at the end).

Each rule is ``rule(words, tables)`` over the words of one Japanese run as the analyzer
(SudachiPy) segmented and read them; it changes a reading only through ``Word.change`` so
the change is recorded. docs/readings.md gives each rule's measured worth.
"""

from __future__ import annotations

from .kanji import GEMINATING, HANDAKU, KanjiReadings, align
from .ruler import Rule, Word
from .tables import Tables

_KSTH = set("かきくけこさしすせそたちつてとはひふへほ")
_KST = set("かきくけこさしすせそたちつてと")


# -- helpers over the kanji table ------------------------------------------------------
def on_reading(kanji: str, t: Tables) -> str | None:
    entry = t.kanji.get(kanji)
    return entry.on[0] if entry and entry.on else None


def join_readings(left: str, right: str) -> str:
    """Join Sino-Japanese readings inside one word: つ+k/s/t/h doubles, ん/っ+h takes p."""
    if left.endswith("つ") and right[:1] in _KSTH and len(left) > 1:
        left = left[:-1] + "っ"
    if left[-1:] in ("ん", "っ") and right[:1] in HANDAKU:
        right = HANDAKU[right[0]] + right[1:]
    return left + right


def read_by_on(surface: str, t: Tables) -> str | None:
    """An all-kanji string read kanji by kanji by on'yomi; None if a kanji is unknown."""
    out = ""
    for i, ch in enumerate(surface):
        r = on_reading(surface[i - 1] if ch == "々" and i else ch, t)
        if r is None:
            return None
        out = join_readings(out, r) if out else r
    return out


def _cands(surface: str, t: Tables, kinds: str) -> dict[str, tuple[str, ...]]:
    empty = KanjiReadings((), ())
    return {
        c: (*(t.kanji.get(c, empty).on if "on" in kinds else ()),
            *(t.kanji.get(c, empty).kun if "kun" in kinds else ()))
        for c in surface
    }


def reads_by_on(surface: str, reading: str, t: Tables) -> bool:
    return align(surface, reading, _cands(surface, t, "on")) is not None


def reads_by_kun(surface: str, reading: str, t: Tables) -> bool:
    return align(surface, reading, _cands(surface, t, "kun")) is not None


def _groups(words: list[Word]) -> list[list[Word]]:
    """Runs of two or more adjacent all-kanji words: compounds the analyzer split."""
    groups, current = [], []
    for word in [*words, None]:
        if word is not None and word.all_kanji and word.source != "pinned":
            current.append(word)
            continue
        if len(current) >= 2:
            groups.append(current)
        current = []
    return groups


def _counted(group: list[Word], k: int) -> bool:
    """A numeral after 第 or before a counter: the analyzer's reading of it stands
    (第四 だいよん, 五日 いつか); elsewhere in a compound it takes on'yomi (四丘体 し)."""
    if group[k].pos[1:2] != ("数詞",):
        return False
    after = group[k + 1].pos if k + 1 < len(group) else ()
    return (k > 0 and group[k - 1].surface == "第") or after[2:3] == ("助数詞",)


# -- the rules ---------------------------------------------------------------------------
def lexicon(words: list[Word], t: Tables) -> None:
    """Whole words first: adjacent words that JMdict lists as one word (which the analyzer
    reads otherwise) are joined into it and take its reading (肋軟骨 ろくなんこつ)."""
    i = 0
    while i < len(words):
        best, text = None, ""
        for j in range(i, len(words)):
            if words[j].source != "analyzer":
                break
            text += words[j].surface
            if len(text) > t.longest:
                break
            if text in t.lexicon:
                best = (j, text)
        if best is not None:
            j, text = best
            joined = Word(text, "".join(w.reading for w in words[i : j + 1]), "analyzer",
                          words[i].pos, all(w.known for w in words[i : j + 1]))
            joined.changes = [c for w in words[i : j + 1] for c in w.changes]
            joined.change("lexicon", t.lexicon[text], f"JMdict reads the word {text}")
            words[i : j + 1] = [joined]
        i += 1


def in_compounds(words: list[Word], t: Tables) -> None:
    """A word at the head or the tail of a compound takes the reading JMdict's longer words
    give it there, where one holds four in five (data/in-compounds.tsv: 日本 にほん at the
    head, 会社 がいしゃ at the tail), when the analyzer reads it otherwise."""
    for group in _groups(words):
        for word, where in ((group[0], "head"), (group[-1], "tail")):
            reading = t.in_compounds.get((word.surface, where))
            if reading and word.source == "analyzer" and not word.changes:
                word.change("in-compounds", reading, f"as JMdict words read it at the {where}")


def unknown_words(words: list[Word], t: Tables) -> None:
    """A kanji word the analyzer does not know is read kanji by kanji by on'yomi."""
    for word in words:
        if not word.known and word.all_kanji and not word.changes:
            on = read_by_on(word.surface, t)
            if on:
                word.change("unknown-words", on, "unknown to the analyzer: on'yomi per kanji")


def on_in_compounds(words: list[Word], t: Tables) -> None:
    """Inside a compound the analyzer split, a word read by kun'yomi is re-read by on'yomi
    (側腹部 そくふくぶ), unless its kanji are mostly kun in compounds (脇腹痛 わきばら)."""
    for group in _groups(words):
        for k, word in enumerate(group):
            if word.suffix or word.changes or _counted(group, k):
                continue
            if reads_by_on(word.surface, word.reading, t):
                continue
            if len(word.surface) > 1:
                mostly_on = all(
                    c in t.kanji and t.kanji[c].on and t.kanji[c].on_in_compounds
                    for c in word.surface
                )
                if not (reads_by_kun(word.surface, word.reading, t) and mostly_on):
                    continue  # an irregular or everyday kun word (脇腹): trust the analyzer
                on = read_by_on(word.surface, t)
            else:
                on = on_reading(word.surface, t)
            if on:
                word.change("on-in-compounds", on, "on'yomi inside a compound")


def kun_head(words: list[Word], t: Tables) -> None:
    """A word of three or more kanji read with a kun'yomi head and on'yomi rest is re-read
    by on'yomi when JMdict never reads that head kanji by kun'yomi before on'yomi."""
    for word in words:
        s = word.surface
        if len(s) < 3 or not word.all_kanji or word.source != "analyzer" or word.changes:
            continue
        entry = t.kanji.get(s[0])
        if not entry or entry.kun_head_count or not entry.on_in_compounds:
            continue
        if reads_by_on(s, word.reading, t):
            continue
        pieces = align(s, word.reading, {**_cands(s, t, "on"), s[0]: entry.kun})
        head = on_reading(s[0], t)
        if pieces is not None and head is not None:
            word.change("kun-head", join_readings(head, "".join(pieces[1:])),
                        "on'yomi for a kun head in an on'yomi compound")


def sokuon_joins(words: list[Word], t: Tables) -> None:
    """Two one-kanji words read by on'yomi that the analyzer left side by side form one
    Sino-Japanese word: the first doubles its final mora before k/s/t where JMdict's
    two-kanji words starting with that kanji mostly do (血+症 けっしょう, 切+痕 せっこん;
    not 腟, whose words keep ちつ)."""
    for left, right in zip(words, words[1:], strict=False):
        if not (len(left.surface) == len(right.surface) == 1 and left.all_kanji
                and right.all_kanji and left.source == right.source == "analyzer"):
            continue
        entry = t.kanji.get(left.surface)
        if not (entry and entry.usually_doubles and left.reading[-1:] in GEMINATING
                and len(left.reading) > 1 and right.reading[:1] in _KST):
            continue
        if reads_by_on(left.surface, left.reading, t) and reads_by_on(
                right.surface, right.reading, t):
            left.change("sokuon-joins", left.reading[:-1] + "っ",
                        "doubles before k/s/t as in JMdict's two-kanji words")


def medical_conventions(words: list[Word], t: Tables) -> None:
    """Medical readings of kanji that general usage reads otherwise
    (data/medical-conventions.tsv): 腔 くう, as in 胸腔 きょうくう, 腹腔 ふくくう; and, where
    the analyzer's word is the kanji alone, 経 けい (trans-: 経静脈) and 様 よう (-like: 腫瘍様);
    where it is alone at the head of a compound, 後 こう (posterior: 後脛骨動脈)."""
    for k, word in enumerate(words):
        s = word.surface
        if word.source == "pinned":
            continue
        heads = (k + 1 < len(words) and words[k + 1].all_kanji
                 and not (k and words[k - 1].all_kanji))
        rows = {c: t.conventions[c] for c in s if c in t.conventions
                and (len(s) == 1 or not t.conventions[c].alone)
                and (heads or not t.conventions[c].head)}
        if not rows:
            continue
        cands = _cands(s, t, "on kun")
        for c, row in rows.items():
            cands[c] = (*cands[c], *row.replaces, row.reading)
        pieces = align(s, word.reading, cands)
        if pieces is None:
            continue
        fixed = [rows[c].reading if c in rows and p in rows[c].replaces else p
                 for c, p in zip(s, pieces, strict=True)]
        word.change("medical-conventions", "".join(fixed), "medical reading of a kanji")


RULES: list[tuple[str, Rule, str]] = [
    ("lexicon", lexicon, "JMdict's reading of words the analyzer reads otherwise"),
    ("in-compounds", in_compounds, "JMdict's reading of a word at a compound's head or tail"),
    ("unknown-words", unknown_words, "words unknown to the analyzer: on'yomi per kanji"),
    ("on-in-compounds", on_in_compounds, "kun'yomi words inside compounds re-read by on'yomi"),
    ("kun-head", kun_head, "on'yomi for a kun head in a long on'yomi word"),
    ("sokuon-joins", sokuon_joins, "learned っ between two one-kanji words"),
    ("medical-conventions", medical_conventions, "medical readings: 腔, 経, 様, 後"),
]
