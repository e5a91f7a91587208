"""gloss serve: the real Datasette (its own test client) over glossaries from test notes: the
home page's search and lists, a term's page, the tables, and escaping of note text."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from datasette.utils import tilde_encode

from glossary.browse.serve import load_metadata
from glossary.db import open_db
from glossary.readings.collation import gojuon_key

CASE_A = """\
# [Images in Clinical Medicine: Tumoral Calcinosis][2024_OkaforC_LindqvistM]

## Terminology

* [calcinosis]: 石灰沈着
* [flank]: 側腹部
* [flank pain]: 側腹部痛
* [left flank]: 左側腹部
* [syncope]: 失神
* [abdomen]: 腹部
* [ARAT]: 急性腎障害
* [abate]: 軽減
* [testimony]: 証言 `ˈtestəˌmōnē`

## Original

> Uremic tumoral [calcinosis] of the right [flank] after [syncope]. The [abdomen] was soft.

[2024_OkaforC_LindqvistM]: https://www.nejm.org/doi/full/10.1056/NEJMicm2401173

<!-- term -->
[calcinosis]: # "石灰沈着"
[flank]: # "側腹部"
[flank pain]: # "側腹部痛"
[left flank]: # "左側腹部"
[syncope]: # "失神"
[abdomen]: # "腹部"
[ARAT]: # "急性腎障害"
[abate]: # "軽減"
[testimony]: # "証言 `ˈtestəˌmōnē`"
"""

CASE_B = """\
# [Images in Clinical Medicine: Heart Block][2024_ThorsenK_AbubakarN]

## Terminology

* [syncope]: 気絶
* [calcinosis]: 石灰沈着
* [flank]: 側腹部
* [aganglionosis]
* [Zebra]: 縞馬

## Original

> After [syncope], [calcinosis] was found in both [Flanks][flank], and also [aganglionosis].

[2024_ThorsenK_AbubakarN]: https://www.nejm.org/doi/full/10.1056/NEJMicm2409903

<!-- term -->
[syncope]: # "気絶"
[calcinosis]: # "石灰沈着"
[flank]: # "側腹部"
[aganglionosis]: # ""
[Zebra]: # "縞馬"
"""

# Note text that must reach every page escaped: a title, a sentence, a term, a remark and
# a "journal URL" that would run script if it were linked.
HOSTILE = """\
# [A &lt;script&gt;alert(1)&lt;/script&gt; case][2024_Evil]

## Terminology

* [<b>bold</b>]: 太字 (<img src=x onerror=alert(3)>)

## Original

> A [<b>bold</b>] finding `<script>alert(2)</script>` was seen.

[2024_Evil]: javascript:alert(4)

<!-- term -->
[<b>bold</b>]: # "太字 (<img src=x onerror=alert(3)>)"
"""

RAW_HTML = ["<script>alert", "<img src=x", "<b>bold</b>", 'href="javascript:']


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from glossary.harvest import harvest

    root = tmp_path_factory.mktemp("browse")
    notes = {"NEJM/IiCM/2024-01-11_62M.md": CASE_A, "NEJM/IiCM/2024-06-20_80F.md": CASE_B,
             "NEJM/IiCM/2024-03-01_5M.md": HOSTILE}
    for name, text in notes.items():
        (root / "notes" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "notes" / name).write_text(text, encoding="utf-8")
    db = open_db(root / "glossary.db")
    assert harvest([root / "notes"], db).problems == {}
    db.conn.close()
    return root / "glossary.db"


@pytest.fixture
def page(db_path: Path, datasette_get):
    """page(path) -> the HTML of a page, checking it answered 200."""

    def get(path: str) -> str:
        response = datasette_get(db_path, path)
        assert response.status_code == 200, (path, response.text[:500])
        return response.text

    return get


@pytest.fixture
def get_json(db_path: Path, datasette_get):
    def get(path: str) -> list | dict:
        response = datasette_get(db_path, path)
        assert response.status_code == 200, (path, response.text[:500])
        return response.json()

    return get


def links(text: str) -> list[tuple[str, str]]:
    """(href, text) of every link on a page, unescaped, tags inside the text dropped."""
    return [(html.unescape(href), html.unescape(re.sub(r"<[^>]+>", "", inner)).strip())
            for href, inner in re.findall(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>', text, re.S)]


def hits(text: str) -> list[str]:
    """The terms the home page's search lists, in order."""
    found = re.search(r'<ol class="gloss-hits">(.*?)</ol>', text, re.S)
    return [t for _, t in links(found.group(1))] if found else []


# --- the search: home page, canned query, terms table, all alike ------------------------

@pytest.mark.parametrize("query", ["flan", "FLANK", "ank", "側腹", "そくふく", "ソクフク",
                                   "sokufukubu", "soku fukubu", "Soku-Fukubu", "sokufuku"])
def test_the_home_search_finds_flank(query: str, page) -> None:
    assert "flank" in hits(page("/?q=" + quote(query)))


@pytest.mark.parametrize("query", ["shougen", "shogen", "shōgen", "shoogen", "SHOUGEN",
                                   "しょうげん", "証言"])
def test_long_vowels_are_found_however_typed(query: str, page) -> None:
    assert hits(page("/?q=" + quote(query))) == ["testimony"]


def test_results_rank_exact_then_prefix_then_part(page) -> None:
    assert hits(page("/?q=flank"))[:3] == ["flank", "flank pain", "left flank"]
    assert hits(page("/?q=" + quote("側腹部")))[:3] == ["flank", "flank pain", "left flank"]


def test_each_result_links_to_the_terms_page(page) -> None:
    result = re.search(r'<ol class="gloss-hits">(.*?)</ol>', page("/?q=sokufukubu"), re.S)
    assert ("/glossary/terms/flank", "flank") in links(result.group(1))


def test_a_query_that_finds_nothing_says_so(page) -> None:
    text = page("/?q=xyzzy")
    assert hits(text) == [] and "No term matches" in text


@pytest.mark.parametrize("query", ["flan", "側腹", "そくふく", "sokufukubu", "shogen", "腹"])
def test_table_search_canned_query_and_home_agree(query: str, page, get_json) -> None:
    home = set(hits(page("/?q=" + quote(query))))
    canned = {row["term"] for row in get_json(f"/glossary/search.json?q={quote(query)}"
                                             "&_shape=array")}
    table = {row["term"] for row in get_json(f"/glossary/terms.json?_search={quote(query)}"
                                            "&_shape=array")}
    assert home == canned == table and home


def test_the_terms_table_has_the_search_box(page) -> None:
    text = page("/glossary/terms?_search=" + quote("側腹"))
    assert 'name="_search"' in text and 'value="側腹"' in text


def test_an_empty_search_finds_nothing(get_json) -> None:
    assert get_json("/glossary/search.json?q=&_shape=array") == []
    assert get_json('/glossary/search.json?q="&_shape=array') == []


# --- the home page's lists ---------------------------------------------------------------

def test_home_shows_counts_conflicts_undefined_and_recent_cases(page) -> None:
    text = page("/")
    assert "in conflict" in text and "undefined" in text
    found = links(text)
    assert ("/glossary/terms/syncope", "syncope") in found  # a conflict to decide
    assert ("/glossary/terms/aganglionosis", "aganglionosis") in found  # to fill
    assert ("/glossary/notes/NEJM~2FIiCM~2F2024-06-20_80F~2Emd",
            "Images in Clinical Medicine: Heart Block") in found  # the most recent case
    titles = [t for _, t in found if t.startswith(("Images", "A "))]
    assert titles.index("Images in Clinical Medicine: Heart Block") < titles.index(
        "Images in Clinical Medicine: Tumoral Calcinosis")
    assert ("/glossary", "All tables and queries") in found


# --- a term's page -----------------------------------------------------------------------

def test_term_page_shows_the_japanese_with_furigana(page) -> None:
    text = page("/glossary/terms/flank")
    assert '<h1 class="gloss-headword">flank</h1>' in text
    assert "<ruby>側腹部<rt>そくふくぶ</rt></ruby>" in text
    assert "soku fukubu" in text


def test_furigana_leaves_kana_bare(tmp_path: Path, harvested, datasette_get) -> None:
    notes = tmp_path / "notes"
    (notes / "x").mkdir(parents=True)
    (notes / "x" / "2024-01-01_1M.md").write_text(
        '# Case\n\n> The patient was [holding].\n\n[holding]: # "持っている"\n',
        encoding="utf-8")
    harvested(notes, tmp_path / "g.db")
    text = datasette_get(tmp_path / "g.db", "/glossary/terms/holding").text
    assert "<ruby>持<rt>も</rt></ruby>っている" in text


def test_term_page_lists_its_cases_newest_first_with_sentences(page) -> None:
    text = page("/glossary/terms/flank")
    cases = re.findall(r'<article class="gloss-case">(.*?)</article>', text, re.S)
    assert len(cases) == 2
    assert "Heart Block" in cases[0] and "2024-06-20" in cases[0] and "80" in cases[0]
    assert "Tumoral Calcinosis" in cases[1] and "2024-01-11" in cases[1]
    assert "both <mark>Flanks</mark>, and also" in cases[0]
    assert "of the right <mark>flank</mark> after" in cases[1]
    assert ("https://www.nejm.org/doi/full/10.1056/NEJMicm2409903",
            "Images in Clinical Medicine: Heart Block") in links(cases[0])


def test_a_conflicts_page_shows_each_variant_its_notes_and_the_command(page) -> None:
    text = page("/glossary/terms/syncope")
    variants = re.search(r'<section class="gloss-variants".*?</section>', text, re.S).group(0)
    assert "失神" in variants and "気絶" in variants
    assert "Tumoral Calcinosis" in variants and "Heart Block" in variants
    assert "gloss prefer syncope '失神'" in html.unescape(variants)
    assert "gloss prefer syncope '気絶'" in html.unescape(variants)
    assert "gloss-status-conflict" in text


def test_term_page_shows_pronunciation_and_see_also(page) -> None:
    assert "ˈtestəˌmōnē" in page("/glossary/terms/testimony")
    see_also = re.search(r'<section class="gloss-see-also".*?</section>',
                         page("/glossary/terms/abdomen"), re.S).group(0)
    assert {"flank", "flank pain", "left flank"} <= {t for _, t in links(see_also)}
    assert "腹" in see_also


def test_an_undefined_terms_page_says_so(page) -> None:
    text = page("/glossary/terms/aganglionosis")
    assert "gloss-status-undefined" in text and "Left empty in 1 note" in text


def test_term_page_keeps_datasettes_json_and_navigation(page, get_json) -> None:
    text = page("/glossary/terms/flank")
    assert "/glossary/terms/flank.json" in text and 'href="/glossary"' in text
    assert get_json("/glossary/terms/flank.json?_shape=array")[0]["japanese"] == "側腹部"


# --- tables fit for people ---------------------------------------------------------------

def test_terms_sort_without_regard_to_case(get_json) -> None:
    terms = [row["term"] for row in get_json("/glossary/terms.json?_shape=array")]
    assert terms.index("abate") < terms.index("ARAT") < terms.index("calcinosis")
    assert terms.index("syncope") < terms.index("Zebra")


def test_gojuon_query_is_in_reading_order(get_json) -> None:
    rows = get_json("/glossary/gojuon.json?_shape=array")
    readings = [r["reading"] for r in rows]
    assert readings == sorted(readings, key=gojuon_key) and all(readings)


def test_internal_columns_are_hidden_but_kept(page, get_json) -> None:
    text = page("/glossary/notes")
    assert ".rows-and-columns .col-sha256 { display: none; }" in text
    assert "Show them" in text
    assert "display: none" not in page("/glossary/notes?_internal=1").split("</head>")[0]
    assert "sha256" in get_json("/glossary/notes.json?_shape=array")[0]
    assert ".col-span_start { display: none; }" in page("/glossary/definitions")
    assert ".col-reading_key { display: none; }" in page("/glossary/terms")


def test_column_descriptions_are_folded_away(page) -> None:
    text = page("/glossary/terms")
    assert '<details class="gloss-column-notes">' in text
    assert "Hiragana reading of each alternative" in text


def test_undefined_terms_stand_out_in_the_table(page) -> None:
    text = page("/glossary/terms")
    assert re.search(r'class="gloss-term gloss-undefined">aganglionosis</a>', text)
    assert '<span class="gloss-status gloss-status-undefined">undefined</span>' in text


def test_japanese_is_marked_for_a_japanese_font(page) -> None:
    assert '<span lang="ja">側腹部</span>' in page("/glossary/terms")
    css = page("/-/gloss/gloss.css")
    assert "Noto Sans CJK JP" in css and ":lang(ja)" in css
    assert "/-/gloss/gloss.css" in page("/")


def test_canned_queries_keep_their_sql_folded(page) -> None:
    text = page("/glossary/conflicts_with_notes")
    assert "_show_sql=1" in text and "<textarea" not in text


def test_facet_suggestions_are_off_but_declared_facets_stay(get_json) -> None:
    data = get_json("/glossary/terms.json?_extra=facet_results,suggested_facets")
    assert "status" in data["facet_results"] and data["suggested_facets"] == []
    assert "form" in get_json("/glossary/definitions.json?_extra=facet_results")["facet_results"]


def test_conflict_lists(get_json) -> None:
    rows = get_json("/glossary/conflicts_with_notes.json?_shape=array")
    assert {(r["term"], r["variant"], r["note_path"], r["citation"]) for r in rows} == {
        ("syncope", "失神", "NEJM/IiCM/2024-01-11_62M.md", "2024_OkaforC_LindqvistM"),
        ("syncope", "気絶", "NEJM/IiCM/2024-06-20_80F.md", "2024_ThorsenK_AbubakarN"),
    }
    assert [(r["variant"], r["notes_count"]) for r in get_json(
        "/glossary/conflicts.json?_shape=array")] == [("失神", 1), ("気絶", 1)]
    assert [(r["term"], r["note_path"]) for r in get_json(
        "/glossary/undefined_with_notes.json?_shape=array")] == [
        ("aganglionosis", "NEJM/IiCM/2024-06-20_80F.md")]


def test_cases_of_term_by_english_or_japanese(get_json) -> None:
    rows = get_json("/glossary/cases_of_term.json?term=Calcinosis&_shape=array")
    assert [r["citation"] for r in rows] == ["2024_ThorsenK_AbubakarN",
                                            "2024_OkaforC_LindqvistM"]
    assert get_json("/glossary/cases_of_term.json?term=石灰沈着&_shape=array") == rows


def test_cells_link_terms_to_their_pages_and_notes_to_theirs(page) -> None:
    found = links(page("/glossary/term_cases?term_key=calcinosis"))
    assert ("/glossary/terms/calcinosis", "calcinosis") in found
    assert ("/glossary/notes/NEJM~2FIiCM~2F2024-01-11_62M~2Emd",
            "NEJM/IiCM/2024-01-11_62M.md") in found
    assert ("/glossary/terms/syncope", "syncope") in links(page("/glossary/conflicts"))


# --- escaping: note text never becomes markup --------------------------------------------

@pytest.mark.parametrize("path", [
    "/", "/?q=bold", "/?q=" + quote("<script>alert(5)</script>"),
    "/glossary/terms/" + tilde_encode("<b>bold</b>"), "/glossary/terms",
    "/glossary/terms?_search=" + quote("<b>"), "/glossary/notes",
    "/glossary/term_cases", "/glossary/definitions", "/glossary/search?q=bold",
    "/glossary/cases_of_term?term=" + quote("<b>bold</b>")])
def test_note_text_is_escaped_everywhere(path: str, page) -> None:
    text = page(path)
    for raw in RAW_HTML:
        assert raw not in text, (path, raw)


def test_the_hostile_terms_page_shows_its_text_escaped(page) -> None:
    text = page("/glossary/terms/" + tilde_encode("<b>bold</b>"))
    assert "&lt;b&gt;bold&lt;/b&gt;" in text
    assert "&lt;img src=x onerror=alert(3)&gt;" in text  # the remark
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in text  # the sentence
    assert "A &lt;script&gt;alert(1)&lt;/script&gt; case" in text  # the title, unlinked


# --- metadata ----------------------------------------------------------------------------

def test_metadata_describes_every_table_and_column(db_path: Path) -> None:
    metadata = load_metadata()["databases"]["glossary"]
    db = open_db(db_path, create=False)
    assert not [t for t in db.table_names() if "_fts" in t]
    for table in db.table_names():
        described = metadata["tables"][table]
        assert described["description"], table
        assert set(described["columns"]) == set(db[table].columns_dict), table
        assert set(described.get("internal_columns", [])) <= set(db[table].columns_dict)
    for view in db.view_names():
        assert metadata["tables"][view]["description"], view
        assert set(metadata["tables"][view].get("internal_columns", [])) <= set(
            db[view].columns_dict)


def test_a_glossary_of_any_file_name_is_served_as_glossary(tmp_path: Path, db_path: Path,
                                                           datasette_get) -> None:
    other = tmp_path / "phys.db"
    other.write_bytes(db_path.read_bytes())
    assert "<ruby>側腹部" in datasette_get(other, "/glossary/terms/flank").text


def test_serve_command_missing_database_exits_2(tmp_path: Path, gloss) -> None:
    result = gloss("serve", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 2
    assert "run `gloss harvest` first" in result.output
    assert result.output.strip().count("\n") == 0


def test_serve_command_busy_port_exits_3(db_path: Path, gloss) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = gloss("serve", "--db", str(db_path), "--port", str(port))
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        f"Error: port {port} on 127.0.0.1: cannot listen (address already in use); choose "
        "another with --port (such as --port 0: any free port)"]
