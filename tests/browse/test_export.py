"""gloss export: every format parsed back and checked against the database."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from glossary.browse import rows
from glossary.browse.export import BOM, TERM_COLUMNS, export, neutralize
from glossary.db import open_db
from glossary.readings.collation import gojuon_key

NS = "{urn:iso:std:iso:30042:ed-2}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

@pytest.fixture(scope="module")
def db_path(small_glossary: Path) -> Path:
    return small_glossary


@pytest.fixture(scope="module")
def bundled_db(bundled_glossary: Path) -> Path:
    return bundled_glossary


def exported(path: Path, **options: object) -> str:
    out = io.StringIO(newline="")
    export(open_db(path, create=False), out, **options)
    return out.getvalue()


def terms_in_db(path: Path) -> dict[str, dict]:
    db = open_db(path, create=False)
    return {row["term"]: row for row in db.query("select * from terms")}


def test_test_notes_hold_what_the_tests_need(db_path: Path) -> None:
    terms = terms_in_db(db_path)
    assert terms["calcinosis"]["reading"] == "せっかいちんちゃく"
    assert terms["syncope"]["status"] == "conflict"
    assert terms["aganglionosis"]["status"] == "undefined"
    assert terms["plus"]["glosses"].startswith("=")


def test_csv_round_trip_matches_the_database(db_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(exported(db_path))))
    terms = terms_in_db(db_path)
    assert list(rows[0]) == TERM_COLUMNS
    assert {row["term"] for row in rows} == set(terms)
    for row in rows:
        term = terms[row["term"]]
        for column in ["japanese", "reading", "romaji", "glosses", "status"]:
            assert row[column] == term[column], (row["term"], column)
        assert int(row["notes_count"]) == term["notes_count"]
    by_term = {row["term"]: row for row in rows}
    assert by_term["calcinosis"]["cases"] == "2024_OkaforC_LindqvistM; 2024_ThorsenK_AbubakarN"
    assert by_term["flank"]["cases"] == "2024_OkaforC_LindqvistM"


def test_csv_without_excel_keeps_values_as_they_are(db_path: Path) -> None:
    text = exported(db_path)
    assert not text.startswith(BOM)
    rows = {row["term"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["plus"]["glosses"] == terms_in_db(db_path)["plus"]["glosses"]


def test_excel_adds_a_bom_and_neutralizes_formulas(db_path: Path) -> None:
    text = exported(db_path, excel=True)
    assert text.startswith(BOM)
    rows = {row["term"]: row for row in csv.DictReader(io.StringIO(text[1:]))}
    assert rows["plus"]["glosses"] == "'" + terms_in_db(db_path)["plus"]["glosses"]
    assert rows["calcinosis"]["japanese"] == "石灰沈着"


@pytest.mark.parametrize("value", ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx"])
def test_neutralize_prefixes_formula_starts(value: str) -> None:
    assert neutralize(value) == "'" + value


@pytest.mark.parametrize("value", ["a=1", "石灰沈着", "", 3])
def test_neutralize_leaves_other_values(value: object) -> None:
    assert neutralize(value) == value


def test_sources_lists_every_definition(db_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(exported(db_path, sources=True))))
    db = open_db(db_path, create=False)
    assert len(rows) == db["definitions"].count
    assert list(rows[0]) == ["term", "note", "line", "form", "raw", "japanese", "glosses"]
    syncope = {(r["note"], r["japanese"]) for r in rows if r["term"] == "syncope"}
    assert syncope == {("NEJM/IiCM/2024-01-11_62M.md", "失神"),
                       ("NEJM/IiCM/2024-06-20_80F.md", "気絶")}
    assert {r["form"] for r in rows} == {"link", "list"}


def test_tsv_has_term_japanese_and_a_comment(db_path: Path) -> None:
    lines = exported(db_path, fmt="tsv").splitlines()
    assert lines[:2] == ["#separator:tab", "#html:false"]
    rows = {line.split("\t")[0]: line.split("\t") for line in lines[2:]}
    assert all(len(fields) == 3 for fields in rows.values())
    assert rows["calcinosis"] == ["calcinosis", "石灰沈着", "せっかいちんちゃく (sekkai chinchaku)"]
    assert "aganglionosis" not in rows  # nothing to translate to
    assert set(rows) == {t for t, row in terms_in_db(db_path).items() if row["japanese"]}


def test_json_has_every_term_with_translations_and_sources(db_path: Path) -> None:
    document = json.loads(exported(db_path, fmt="json"))
    terms = terms_in_db(db_path)
    assert [t["term"] for t in document["terms"]] == sorted(terms, key=str.lower)
    for item in document["terms"]:
        assert set(item) == {"key", "term", "japanese", "reading", "romaji", "glosses",
                             "status", "notes_count", "translations", "sources"}
        assert item["status"] == terms[item["term"]]["status"]
        for source in item["sources"]:
            assert set(source) == {"note", "citation", "url", "line", "form", "raw",
                                   "japanese", "glosses"}
    syncope = next(t for t in document["terms"] if t["term"] == "syncope")
    assert {t["japanese"] for t in syncope["translations"]} == {"失神", "気絶"}
    assert sum(t["canonical"] for t in syncope["translations"]) == 1
    assert {s["citation"] for s in syncope["sources"]} == {
        "2024_OkaforC_LindqvistM", "2024_ThorsenK_AbubakarN"}


@pytest.mark.parametrize("options", [
    {"sources": True}, {"sources": True, "fmt": "tsv"}, {"sources": True, "excel": True},
    {"sources": True, "fmt": "json"}, {"fmt": "json"}])
def test_rows_read_in_batches_write_what_rows_read_at_once_do(
        db_path: Path, options: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sources are fetched and written a batch of rows at a time: a term's rows split over
    several batches join exactly as in one."""
    whole = exported(db_path, **options)
    monkeypatch.setattr(rows, "BATCH", 1)
    assert exported(db_path, **options) == whole
    if options.get("fmt") == "json":
        json.loads(whole)


def test_json_with_no_sources_is_an_empty_array(db_path: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    open_db(empty)
    assert exported(empty, fmt="json", sources=True) == '{"sources": []}\n'
    assert exported(empty, fmt="json") == '{"terms": []}\n'


def test_tbx_is_well_formed_tbx_basic(db_path: Path) -> None:
    root = ET.fromstring(exported(db_path, fmt="tbx").encode("utf-8"))
    assert root.tag == f"{NS}tbx"
    assert root.get("type") == "TBX-Basic" and root.get("style") == "dca"
    assert [child.tag for child in root] == [f"{NS}tbxHeader", f"{NS}text"]
    entries = root.findall(f"{NS}text/{NS}body/{NS}conceptEntry")
    terms = terms_in_db(db_path)
    expected = {t for t, row in terms.items() if row["japanese"] or row["glosses"]}
    english = [e.find(f"{NS}langSec/{NS}termSec/{NS}term").text for e in entries]
    assert sorted(english) == sorted(expected)
    assert len({e.get("id") for e in entries}) == len(entries)
    for entry in entries:
        for lang_sec in entry.findall(f"{NS}langSec"):
            check_lang_sec_order(lang_sec)
            for term_sec in lang_sec.findall(f"{NS}termSec"):
                check_term_sec_order(term_sec)


def check_lang_sec_order(lang_sec: ET.Element) -> None:
    """langSec: auxiliary information first, then one or more termSec."""
    tags = [child.tag for child in lang_sec]
    assert f"{NS}termSec" in tags
    first = tags.index(f"{NS}termSec")
    assert all(tag == f"{NS}termSec" for tag in tags[first:])
    assert all(tag in {f"{NS}descrip", f"{NS}admin", f"{NS}note"} for tag in tags[:first])


def check_term_sec_order(term_sec: ET.Element) -> None:
    """termSec: term, then termNote(s), then descrip/admin/note."""
    tags = [child.tag for child in term_sec]
    assert tags[0] == f"{NS}term"
    notes_end = 1
    while notes_end < len(tags) and tags[notes_end] == f"{NS}termNote":
        notes_end += 1
    assert notes_end > 1, "administrativeStatus termNote missing"
    assert all(tag in {f"{NS}descrip", f"{NS}admin", f"{NS}note"} for tag in tags[notes_end:])
    status = term_sec.find(f"{NS}termNote[@type='administrativeStatus']").text
    assert status in {"preferredTerm-admn-sts", "admittedTerm-admn-sts"}


def concept(root: ET.Element, term: str) -> ET.Element:
    for entry in root.iter(f"{NS}conceptEntry"):
        if entry.find(f"{NS}langSec/{NS}termSec/{NS}term").text == term:
            return entry
    raise AssertionError(f"no conceptEntry for {term}")


def test_tbx_term_content(db_path: Path) -> None:
    root = ET.fromstring(exported(db_path, fmt="tbx").encode("utf-8"))
    entry = concept(root, "calcinosis")
    en, ja = entry.findall(f"{NS}langSec")
    assert (en.get(XML_LANG), ja.get(XML_LANG)) == ("en", "ja")
    en_term = en.find(f"{NS}termSec")
    context = en_term.find(f"{NS}descrip[@type='context']").text
    assert "calcinosis" in context and context.startswith("Uremic")
    assert "2024_OkaforC_LindqvistM" in en_term.find(f"{NS}admin[@type='source']").text
    ja_term = ja.find(f"{NS}termSec")
    assert ja_term.find(f"{NS}term").text == "石灰沈着"
    assert ja_term.find(f"{NS}termNote").text == "preferredTerm-admn-sts"
    assert "せっかいちんちゃく" in ja_term.find(f"{NS}note").text
    sources = [a.text for a in ja_term.findall(f"{NS}admin[@type='source']")]
    assert len(sources) == 2 and "https://www.nejm.org/" in sources[0]


def test_tbx_marks_the_conflicting_variant_admitted(db_path: Path) -> None:
    root = ET.fromstring(exported(db_path, fmt="tbx").encode("utf-8"))
    ja = concept(root, "syncope").findall(f"{NS}langSec")[1]
    statuses = {s.find(f"{NS}term").text: s.find(f"{NS}termNote").text
                for s in ja.findall(f"{NS}termSec")}
    canonical = terms_in_db(db_path)["syncope"]["japanese"]
    assert statuses[canonical] == "preferredTerm-admn-sts"
    assert sorted(statuses.values()) == ["admittedTerm-admn-sts", "preferredTerm-admn-sts"]


def test_tbx_leaves_out_undefined_terms(db_path: Path) -> None:
    root = ET.fromstring(exported(db_path, fmt="tbx").encode("utf-8"))
    with pytest.raises(AssertionError):
        concept(root, "aganglionosis")


def test_reading_sort_is_gojuon_order(bundled_db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(exported(bundled_db, sort="reading"))))
    readings = [row["reading"] for row in rows if row["reading"]]
    assert len(readings) > 20
    assert readings == sorted(readings, key=gojuon_key)  # not code-point order: が with か
    assert readings.index("がんかしゅういの") < readings.index("かんちょう")
    assert readings[0][0] in "あいうえお" and readings[-1][0] in "やゆよらりるれろわをん"
    # terms without a reading come last
    first_blank = next(i for i, row in enumerate(rows) if not row["reading"])
    assert all(not row["reading"] for row in rows[first_blank:])


def test_reading_sort_puts_a_row_before_ka_row(bundled_db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(exported(bundled_db, sort="reading"))))
    order = [row["term"] for row in rows]
    # あっつう (tender) < ふくすい (ascites) < わきばら…; そくふくぶ (flank) in the sa row
    assert order.index("tender") < order.index("flank") < order.index("ascites")


def test_the_gojuon_view_agrees_with_the_export(bundled_db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(exported(bundled_db, sort="reading"))))
    db = open_db(bundled_db, create=False)
    view = [row["term"] for row in db.query("select term from glossary_gojuon")]
    assert view == [row["term"] for row in rows if row["reading"]]


def test_term_sort_is_alphabetical(bundled_db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(exported(bundled_db))))
    terms = [row["term"].lower() for row in rows]
    assert terms == sorted(terms)


# --- the command ----------------------------------------------------------------------------


def test_export_command_writes_a_file_and_infers_the_format(db_path: Path,
                                                            tmp_path: Path, gloss) -> None:
    target = tmp_path / "glossary.json"
    result = gloss("export", str(target), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert len(json.loads(target.read_text(encoding="utf-8"))["terms"]) == len(
        terms_in_db(db_path))
    assert [p.name for p in tmp_path.iterdir()] == ["glossary.json"]  # no temporary left


def test_export_command_to_stdout_with_excel(db_path: Path, gloss) -> None:
    result = gloss("export", "-", "--db", str(db_path), "--excel", "--sort", "reading")
    assert result.exit_code == 0
    assert result.output.startswith(BOM + "term,japanese")


@pytest.mark.parametrize("args, message", [
    (["--format", "xml"], "unknown format 'xml'"),
    (["--sort", "kana"], "unknown sort 'kana'"),
    (["--format", "tbx", "--excel"], "--excel applies to csv and tsv only"),
    (["--format", "tbx", "--sources"], "--sources applies"),
])
def test_export_command_bad_options_exit_2_with_one_line(db_path: Path, args: list[str],
                                                         message: str, gloss) -> None:
    result = gloss("export", "--db", str(db_path), *args)
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert message in result.output


def test_export_command_missing_database_says_harvest(tmp_path: Path, gloss) -> None:
    result = gloss("export", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 2
    assert "run `gloss harvest` first" in result.output
    assert result.output.strip().count("\n") == 0
    assert not (tmp_path / "none.db").exists()


def test_export_command_unwritable_path(db_path: Path, tmp_path: Path, gloss) -> None:
    result = gloss("export", str(tmp_path / "missing" / "out.csv"), "--db", str(db_path))
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and "cannot write" in result.output
    assert result.output.strip().count("\n") == 0


def test_export_command_onto_a_directory_fails_cleanly(db_path: Path, tmp_path: Path,
                                                       gloss) -> None:
    (tmp_path / "out.csv").mkdir()
    result = gloss("export", str(tmp_path / "out.csv"), "--db", str(db_path))
    assert result.exit_code == 2
    assert "cannot write" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
