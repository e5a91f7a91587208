"""Synthetic notes in the real format, for benchmarks and tests: a case heading with its
citation link, a Summary list, a Terminology list, a quoted case paragraph that links its
terms, and reference definitions under `<!-- term -->` with conflicting, empty and fenced
fake definitions, drawn from a vocabulary of a few thousand synthetic English labels with
Japanese variants, so that the number of terms grows as real notes make it grow.

    generate(folder, count, seed=1)
"""

from __future__ import annotations

import random
from pathlib import Path

_PREFIXES = ["cardio", "neuro", "hepato", "nephro", "gastro", "osteo", "myo", "derma", "pneumo",
             "hemato", "angio", "encephalo", "arthro", "chondro", "cysto", "entero", "lympho",
             "oto", "rhino", "thrombo", "vaso", "broncho", "colo", "cranio", "glosso", "laryngo",
             "mammo", "oculo", "pyelo", "spleno", "tracheo", "uretero"]
_ROOTS = ["megaly", "pathy", "itis", "algia", "oma", "sclerosis", "stenosis", "plasia",
          "rrhagia", "trophy", "lysis", "ectasia", "spasm", "ptosis", "malacia", "cele"]
_QUALIFIERS = ["acute", "chronic", "primary", "secondary", "congenital", "idiopathic",
               "recurrent", "focal", "diffuse", "bilateral", "nodular", "reactive", "atypical",
               "benign", "malignant", "transient", "refractory", "familial", "hemorrhagic",
               "ischemic", "obstructive", "progressive", "segmental", "subacute"]
_KANJI = ("心肝腎胃腸骨筋皮肺血管脳関節軟膀胱小大耳鼻咽喉乳眼腎盂脾気管尿"
          "肥大症炎痛腫硬化狭窄形成出血萎縮溶解拡張攣縮下垂軟化瘤"
          "急性慢原発続先天特発再局所瀰漫両側結節反応非定型良悪一過難治家族虚閉塞進行区域亜")


def vocabulary(size: int, rng: random.Random) -> list[tuple[str, list[str]]]:
    """`size` English labels, each with one to three Japanese variants."""
    words: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    while len(words) < size:
        label = rng.choice(_PREFIXES) + rng.choice(_ROOTS)
        if rng.random() < 0.7:
            label = f"{rng.choice(_QUALIFIERS)} {label}"
        if rng.random() < 0.2:
            label = f"{label} type {rng.randint(1, 9)}"
        if label in seen:
            continue
        seen.add(label)
        variants = ["".join(rng.choice(_KANJI) for _ in range(rng.randint(2, 6)))
                    for _ in range(rng.choice([1, 1, 1, 2, 2, 3]))]
        words.append((label, variants))
    return words


def _pick(rng: random.Random, words: list, count: int) -> list:
    # Zipf-like: a few terms in many notes, a long tail in few, so terms grow with notes.
    n = len(words)
    chosen: dict[int, None] = {}
    while len(chosen) < count:
        chosen[min(n - 1, int(n * rng.random() ** 2.2))] = None
    return [words[i] for i in chosen]


def note_text(index: int, words: list, rng: random.Random) -> tuple[str, str]:
    """(relative path, text) of one synthetic note of about 3 KB."""
    year = 2015 + index % 10
    month, day = 1 + index % 12, 1 + index % 28
    age, sex = 18 + index % 70, "MF"[index % 2]
    path = f"NEJM/IiCM/{year}/{year}-{month:02d}-{day:02d}_{age}{sex}_{index:06d}.md"
    cite = f"{year}_Author{index}_Coauthor{index % 97}"
    terms = _pick(rng, words, rng.randint(10, 16))
    chosen = []
    for label, variants in terms:
        roll = rng.random()
        if roll < 0.06:
            japanese = ""  # empty: an undefined term
        elif roll < 0.2 and len(variants) > 1:
            japanese = ", ".join(variants[:2])
        else:
            japanese = rng.choice(variants)  # conflicting when notes pick different ones
        chosen.append((label, japanese))
    lines = [f"# [Images in Clinical Medicine: {terms[0][0].title()} in a {age}-year-old]"
             f"[{cite}]", "", "## Summary", "", f"* {age}yo {sex}", "* c/c"]
    for label, _ in chosen[:4]:
        lines.append(f"\t* {label} for {rng.randint(1, 12)} months")
    lines += ["* PEx", f"\t* {chosen[1][0]}, {chosen[2][0]} (mild)", "* Ex",
              f"\t* Hb {rng.randint(80, 190) / 10} g/dL, CRP {rng.randint(1, 300) / 10} mg/dL",
              "* Dx", f"\t* {chosen[0][0]}", "* Rx", "\t* observation, follow-up", "",
              "## Terminology", ""]
    for label, japanese in chosen:
        lines.append(f"* [{label}]: {japanese}" if japanese else f"* [{label}]")
    lines += ["", "## Original", ""]
    sentences = []
    for label, _ in chosen:
        sentences.append(
            f"The patient had [{label}] noted {rng.randint(2, 30)} days after admission, "
            f"consistent with the working diagnosis; the team agreed on the plan.")
    lines.append("> " + " ".join(sentences[: len(sentences) // 2]))
    lines.append(">")
    lines.append("> " + " ".join(sentences[len(sentences) // 2 :]))
    lines += ["", "```markdown", f'[{chosen[0][0]}]: # "偽の定義"',
              '[not a term]: # "これは定義ではない"', "```", "", "##", "<!-- ref -->",
              f"[{cite}]: https://www.nejm.org/doi/full/10.1056/NEJMicm{index:07d}", "",
              "<!-- term -->"]
    for label, japanese in chosen:
        lines.append(f'[{label}]: # "{japanese}"')
    return path, "\n".join(lines) + "\n"


def generate(folder: Path, count: int, seed: int = 1) -> int:
    """Write `count` notes below `folder` (the same notes for the same seed); returns bytes."""
    rng = random.Random(seed)
    words = vocabulary(max(2000, min(8000, count // 3)), rng)
    total = 0
    made: set[Path] = set()
    for index in range(count):
        rel, text = note_text(index, words, rng)
        file = folder / rel
        if file.parent not in made:
            file.parent.mkdir(parents=True, exist_ok=True)
            made.add(file.parent)
        data = text.encode("utf-8")
        file.write_bytes(data)
        total += len(data)
    return total
