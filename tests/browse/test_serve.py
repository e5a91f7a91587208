"""gloss serve: the real Datasette (its own test client) over a glossary from test notes."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from glossary.browse.serve import load_metadata
from glossary.db import open_db
from glossary.readings.collation import gojuon_key


@pytest.fixture(scope="module")
def db_path(small_glossary: Path) -> Path:
    return small_glossary


@pytest.fixture
def get_json(datasette_get):
    """get_json(db_path, path): the rows of a JSON page, checking it answered 200."""

    def rows(db_path: Path, path: str) -> list[dict]:
        response = datasette_get(db_path, path)
        assert response.status_code == 200, response.text
        return response.json()

    return rows


def links(page: str) -> list[tuple[str, str]]:
    """(href, text) of every link on a page, unescaped."""
    return [(html.unescape(href), html.unescape(text.strip()))
            for href, text in re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', page)]


@pytest.mark.parametrize("query", ["calcinosis", "Calcinosis", "石灰沈着", "せっかいちんちゃく",
                                   "sekkai", "chinchaku"])
def test_table_search_finds_the_term_by_each_kind_of_query(db_path: Path, query: str,
                                                           get_json) -> None:
    rows = get_json(db_path, f"/glossary/terms.json?_search={query}&_shape=array")
    assert [row["term"] for row in rows] == ["calcinosis"]


@pytest.mark.parametrize("query", ["calcinosis", "石灰沈着", "せっかいちんちゃく", "sekkai", "石灰",
                                   "せっかい"])
def test_search_query_finds_the_term_also_by_part_of_a_word(db_path: Path, query: str,
                                                            get_json) -> None:
    rows = get_json(db_path, f"/glossary/search.json?q={query}&_shape=array")
    assert [row["term"] for row in rows] == ["calcinosis"]


def test_search_query_finds_a_conflicting_variant(db_path: Path, get_json) -> None:
    db = open_db(db_path, create=False)
    canonical = db["terms"].get("syncope")["japanese"]
    variant = ({"失神", "気絶"} - {canonical}).pop()
    rows = get_json(db_path, f"/glossary/search.json?q={variant}&_shape=array")
    assert [row["term"] for row in rows] == ["syncope"]


def test_search_query_with_nothing_finds_nothing(db_path: Path, get_json) -> None:
    assert get_json(db_path, "/glossary/search.json?q=&_shape=array") == []
    assert get_json(db_path, '/glossary/search.json?q="&_shape=array') == []


def test_conflicts_query_lists_each_variant_with_its_note(db_path: Path, get_json) -> None:
    rows = get_json(db_path, "/glossary/conflicts_with_notes.json?_shape=array")
    assert {(r["term"], r["variant"], r["note_path"], r["citation"]) for r in rows} == {
        ("syncope", "失神", "NEJM/IiCM/2024-01-11_62M.md", "2024_OkaforC_LindqvistM"),
        ("syncope", "気絶", "NEJM/IiCM/2024-06-20_80F.md", "2024_ThorsenK_AbubakarN"),
    }
    assert all(r["url"].startswith("https://www.nejm.org/") for r in rows)


def test_undefined_query_lists_the_notes_that_need_a_definition(db_path: Path, get_json) -> None:
    rows = get_json(db_path, "/glossary/undefined_with_notes.json?_shape=array")
    assert [(r["term"], r["note_path"]) for r in rows] == [
        ("aganglionosis", "NEJM/IiCM/2024-06-20_80F.md")]


def test_cases_of_term_query(db_path: Path, get_json) -> None:
    rows = get_json(db_path, "/glossary/cases_of_term.json?term=Calcinosis&_shape=array")
    assert [(r["citation"], r["url"]) for r in rows] == [
        ("2024_OkaforC_LindqvistM", "https://www.nejm.org/doi/full/10.1056/NEJMicm2401173"),
        ("2024_ThorsenK_AbubakarN", "https://www.nejm.org/doi/full/10.1056/NEJMicm2409903"),
    ]
    by_japanese = get_json(db_path, "/glossary/cases_of_term.json?term=石灰沈着&_shape=array")
    assert by_japanese == rows


def test_gojuon_query_is_in_reading_order(db_path: Path, get_json) -> None:
    rows = get_json(db_path, "/glossary/gojuon.json?_shape=array")
    readings = [r["reading"] for r in rows]
    assert readings == sorted(readings, key=gojuon_key) and "せっかいちんちゃく" in readings
    assert all(r["reading"] for r in rows)


def test_term_page_links_to_its_cases_and_notes(db_path: Path, datasette_get) -> None:
    page = datasette_get(db_path, "/glossary/terms/calcinosis").text
    assert ("/glossary/cases_of_term?term=calcinosis", "calcinosis") in links(page)
    assert any(href == "/glossary/definitions?term_key=calcinosis" for href, _ in links(page))


def test_cases_page_links_each_note_and_its_journal_url(db_path: Path, datasette_get) -> None:
    found = links(datasette_get(db_path, "/glossary/cases_of_term?term=calcinosis").text)
    assert ("https://www.nejm.org/doi/full/10.1056/NEJMicm2401173",
            "https://www.nejm.org/doi/full/10.1056/NEJMicm2401173") in found
    assert ("/glossary/notes/NEJM~2FIiCM~2F2024-01-11_62M~2Emd",
            "NEJM/IiCM/2024-01-11_62M.md") in found


def test_definitions_link_to_the_note_by_its_title(db_path: Path, datasette_get) -> None:
    page = datasette_get(db_path, "/glossary/definitions?term_key=calcinosis").text
    assert ("/glossary/notes/NEJM~2FIiCM~2F2024-01-11_62M~2Emd",
            "Images in Clinical Medicine: Tumoral Calcinosis") in links(page)


def test_note_page_shows_its_journal_url_as_a_link(db_path: Path, datasette_get) -> None:
    page = datasette_get(db_path, "/glossary/notes/NEJM~2FIiCM~2F2024-01-11_62M~2Emd").text
    assert any(href == "https://www.nejm.org/doi/full/10.1056/NEJMicm2401173"
               for href, _ in links(page))


def test_links_are_escaped(tmp_path: Path, datasette_get, harvested) -> None:
    cases = tmp_path / "notes" / "NEJM" / "IiCM"
    cases.mkdir(parents=True)
    (cases / "2024-01-01_1M.md").write_text(
        "# [A <b>case</b>][key]\n\n## Terminology\n\n* [a<b>x</b>]: 石灰\n\n"
        "##\n<!-- ref -->\n[key]: https://example.org/a\n", encoding="utf-8")
    path = tmp_path / "glossary.db"
    harvested(tmp_path / "notes", path)
    page = datasette_get(path, "/glossary/terms").text
    assert "<b>x</b>" not in page
    assert "a&lt;b&gt;x&lt;/b&gt;" in page


def test_metadata_titles_and_descriptions_are_shown(db_path: Path, datasette_get) -> None:
    home = datasette_get(db_path, "/").text
    assert "gloss: English–Japanese medical glossary" in home
    assert "Conflicts: each variant and its notes" in datasette_get(db_path, "/glossary").text
    terms = datasette_get(db_path, "/glossary/terms").text
    assert "One row per English term" in terms
    assert "Hiragana reading of each alternative" in terms  # a column description


def test_facets_and_default_sort(db_path: Path, get_json) -> None:
    data = get_json(db_path, "/glossary/terms.json?_extra=facet_results")
    assert "status" in data["facet_results"]
    notes = get_json(db_path, "/glossary/notes.json?_shape=array")
    assert [n["date"] for n in notes] == sorted((n["date"] for n in notes), reverse=True)
    forms = get_json(db_path, "/glossary/definitions.json?_extra=facet_results")
    assert "form" in forms["facet_results"]


def test_metadata_describes_every_table_and_column(db_path: Path) -> None:
    metadata = load_metadata()["databases"]["glossary"]
    db = open_db(db_path, create=False)
    for table in db.table_names():
        if table.endswith(("_fts", "_fts_data", "_fts_idx", "_fts_docsize", "_fts_config")):
            continue
        described = metadata["tables"][table]
        assert described["description"], table
        assert set(described["columns"]) == set(db[table].columns_dict), table
    for view in db.view_names():
        assert metadata["tables"][view]["description"], view


def test_metadata_follows_the_database_name(tmp_path: Path, db_path: Path, datasette_get) -> None:
    other = tmp_path / "phys.db"
    other.write_bytes(db_path.read_bytes())
    assert "phys" in load_metadata("phys")["databases"]
    assert "Conflicts: each variant and its notes" in datasette_get(other, "/phys").text


def test_serve_command_missing_database_exits_2(tmp_path: Path, gloss) -> None:
    result = gloss("serve", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 2
    assert "run `gloss harvest` first" in result.output
    assert result.output.strip().count("\n") == 0
