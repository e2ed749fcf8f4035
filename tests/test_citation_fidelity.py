"""What a user copying citations needs kept from an imported bibliography: editors,
crossref'd fields, the published version over the preprint, the month, name particles,
and the notes and tags of the app's own exports."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.citations import render
from reader.citations.names import parse_name
from reader.model import Paper
from reader.sources.bibtex import parse_bibtex
from reader.sources.csljson import parse_csl_json
from reader.sources.ris import parse_ris

CHAPTER_CSL = json.dumps([{
    "id": "b3", "type": "chapter", "title": "A chapter", "author": [{"family": "Chap", "given": "Ter"}],
    "editor": [{"family": "Edi", "given": "Tor"}], "container-title": "Big Book", "publisher": "Pub",
    "issued": {"date-parts": [[2010]]}}])
BOOK_BIB = "@book{six, title={A Book}, editor={Ed, Itor}, year=1999, publisher={P}, address={Berlin}}"
CHAPTER_RIS = "TY  - CHAP\nTI  - A chapter\nAU  - Chap, Ter\nA2  - Edi, Tor\nT2  - Big Book\nPB  - Pub\nPY  - 2010\nER  - \n"


def test_editors_are_read_from_every_format_and_cited():
    (chapter,) = parse_csl_json(CHAPTER_CSL)
    (from_ris,) = parse_ris(CHAPTER_RIS)
    (book,) = parse_bibtex(BOOK_BIB)
    assert chapter.editors == from_ris.editors == ["Tor Edi"] and book.editors == ["Itor Ed"]
    assert render([(chapter, "k")], "apa").strip() == "Chap, T. (2010). A chapter. In T. Edi (Ed.), Big Book. Pub."
    assert render([(from_ris, "k")], "apa") == render([(chapter, "k")], "apa")
    # no authors: the editors stand in for them, as APA does
    assert render([(book, "k")], "apa").strip() == "Ed, I. (Ed.). (1999). A Book. P."
    assert "editor = {Edi, Tor}" in render([(chapter, "k")], "bibtex")
    assert "editor = {Ed, Itor}" in render([(book, "k")], "biblatex")
    assert json.loads(render([(chapter, "k")], "csl-json"))[0]["editor"] == [{"family": "Edi", "given": "Tor"}]
    assert "\nED  - Edi, Tor\n" in render([(chapter, "k")], "ris")


def test_editors_come_back_from_the_apps_own_exports():
    (book,) = parse_bibtex(BOOK_BIB)
    for fmt, parse in (("bibtex", parse_bibtex), ("biblatex", parse_bibtex), ("csl-json", parse_csl_json), ("ris", parse_ris)):
        (back,) = parse(render([(book, "k")], fmt))
        assert (back.editors, back.authors, back.entry_type) == (["Itor Ed"], [], "book"), fmt


def test_a_record_stored_before_editors_existed_still_loads():
    old = {"key": "t:x", "title": "Old", "authors": ["A B"]}
    assert Paper.from_dict(old).editors == []


JABREF = """
@InCollection{Crossref1, crossref = {ProcBook}, author = {Smith, John},
  title = {A Chapter Inheriting Its Booktitle}, pages = {5--9}, publisher = {Own Press}}
@InCollection{Lost, crossref = {NotInTheFile}, author = {Roe, Rick}, title = {An Orphan}, year = 2001}
@Book{ProcBook, title = {The Proceedings Book}, year = {2018}, month = mar, publisher = {Springer},
  editor = {Doe, Jane}, doi = {10.1000/book}}
"""


def test_crossref_takes_the_parents_fields_and_the_childs_win():
    got = {p.title: p for p in parse_bibtex(JABREF)}
    child = got["A Chapter Inheriting Its Booktitle"]
    assert (child.entry_type, child.journal, child.published, child.editors) == (
        "chapter", "The Proceedings Book", "2018-03", ["Jane Doe"])
    assert child.publisher == "Own Press" and child.pages == "5-9"  # its own fields win
    assert child.doi == ""  # the book's DOI is not the chapter's
    assert render([(child, "k")], "apa").strip() == (
        "Smith, J. (2018). A Chapter Inheriting Its Booktitle. In J. Doe (Ed.), The Proceedings Book (pp. 5\u20139). Own Press.")
    orphan = got["An Orphan"]  # a crossref to an entry not in the file is ignored
    assert (orphan.journal, orphan.year, orphan.authors) == ("", "2001", ["Rick Roe"])


def test_an_edited_book_is_keyed_under_its_first_editor():
    from reader.citations.keys import base_key

    (book,) = parse_bibtex(BOOK_BIB)
    assert base_key(book) == "ed1999book"


ZOTERO_PREPRINT = """@article{vaswani_attention_2017, title = {Attention {Is} {All} {You} {Need}},
  url = {http://arxiv.org/abs/1706.03762}, doi = {10.48550/arXiv.1706.03762}, publisher = {arXiv},
  author = {Vaswani, Ashish and Shazeer, Noam}, month = jun, year = {2017}, note = {arXiv:1706.03762 [cs]}}"""
SCHOLAR = """@inproceedings{vaswani2017attention, title={Attention is all you need},
  author={Vaswani, Ashish and Shazeer, Noam}, booktitle={Advances in neural information processing systems},
  volume={30}, year={2017}}"""
TYPE_A = ("@misc{p, title={Conference Paper Test}, author={Gamma, Gil}, year={2017}, eprint={1706.99999},"
          " archivePrefix={arXiv}, doi={10.48550/arXiv.1706.99999}, publisher={arXiv}}")
TYPE_B = ("@inproceedings{q, title={Conference paper test}, author={Gamma, Gil},"
          " booktitle={Advances in Neural Information Processing Systems}, volume={30}, year={2017}}")


def _merged(first: str, second: str) -> Paper:
    (a,) = parse_bibtex(first)
    (b,) = parse_bibtex(second)
    a.merge(b)
    return a


def test_a_preprint_merged_with_its_published_version_cites_the_published_version():
    for first, second in ((ZOTERO_PREPRINT, SCHOLAR), (SCHOLAR, ZOTERO_PREPRINT), (TYPE_A, TYPE_B), (TYPE_B, TYPE_A)):
        paper = _merged(first, second)
        assert (paper.entry_type, paper.publisher, paper.volume) == ("paper-conference", "", "30"), first[:20]
        bib = render([(paper, "k")], "bibtex")
        assert bib.startswith("@inproceedings{k,") and "arXiv}" not in bib.split("eprint")[0]
        assert "PB  - " not in render([(paper, "k")], "ris")


def test_a_preprint_record_stored_as_an_article_takes_the_venues_type_and_publisher():
    old = Paper(key="1706.03762", title="Attention Is All You Need", arxiv_id="1706.03762",
                entry_type="article-journal", publisher="arXiv", journal_date="2017-06")  # as stored before
    (venue,) = parse_bibtex(SCHOLAR)
    assert old.merge(venue)
    assert (old.entry_type, old.journal, old.publisher, old.journal_date) == (
        "paper-conference", "Advances in neural information processing systems", "", "2017")


def test_a_zotero_preprint_alone_is_cited_as_a_preprint():
    (paper,) = parse_bibtex(ZOTERO_PREPRINT)
    assert (paper.entry_type, paper.journal, paper.publisher, paper.arxiv_id) == ("", "", "", "1706.03762")
    assert render([(paper, "k")], "bibtex").startswith("@misc{k,")


def test_bibtex_writes_the_month_as_its_macro_and_reads_it_back():
    (paper,) = parse_bibtex(SCHOLAR.replace("year={2017}", "year={2017}, month = jun"))
    assert paper.published == "2017-06"
    bib = render([(paper, "k")], "bibtex")
    assert "  year = {2017},\n  month = jun\n" in bib
    (back,) = parse_bibtex(bib)
    assert back.published == back.journal_date == "2017-06"
    (year_only,) = parse_bibtex(SCHOLAR)
    assert "month" not in render([(year_only, "k")], "bibtex")


def test_a_dropping_particle_reads_the_same_from_bibtex_and_csl_json():
    (bib,) = parse_bibtex("@article{b, title={Symphony Studies}, author={Beethoven, Ludwig van and Smith, John},"
                          " journal={Music Journal}, year=1808}")
    (csl,) = parse_csl_json(json.dumps([{"type": "article-journal", "title": "Symphony Studies", "container-title": "Music Journal",
                                         "author": [{"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
                                                    {"family": "Smith", "given": "John"}], "issued": {"date-parts": [[1808]]}}]))
    assert bib.authors == csl.authors == ["Beethoven, Ludwig van", "John Smith"]
    assert render([(bib, "k")], "apa").startswith("Beethoven, L. van, & Smith, J. (1808).")
    assert json.loads(render([(bib, "k")], "csl-json"))[0]["author"][0] == {
        "family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"}
    assert "author = {Beethoven, Ludwig van and Smith, John}" in render([(bib, "k")], "bibtex")
    from reader.citations.keys import base_key

    assert base_key(bib) == "beethoven1808symphony"


# -- notes and tags of the app's own exports ---------------------------------------------


def _library_with_marks(paths):
    from reader.state import Change
    from reader.storage.store import Store

    store = Store(paths)
    store.import_papers(parse_bibtex(ZOTERO_PREPRINT + "\n" + BOOK_BIB + "\n" + TYPE_B))
    keys = {p.title: p.key for p in store.papers()}
    attention, book = keys["Attention Is All You Need"], keys["A Book"]
    store.apply([Change(attention, "note", "Read **twice**.\n\nThe second paragraph, {braces} & 100%."),
                 Change(attention, "tags", ["nlp", "to cite"]), Change(book, "tags", ["books"])])
    return store, attention, book


def test_notes_and_tags_come_back_from_the_apps_own_exports(paths, tmp_path, monkeypatch, capsys):
    from reader.cli import main
    from reader.paths import Paths
    from reader.storage.store import Store

    monkeypatch.setenv("READER_LOOKUP_SECONDS", "0")
    store, attention, book = _library_with_marks(paths)
    want = {k: (s.note, s.tags) for k, s in store.states().items()}
    for fmt in ("bibtex", "biblatex", "csl-json", "ris"):
        out = tmp_path / f"all.{fmt}"
        monkeypatch.setenv("READER_DATA_DIR", str(paths.data_dir))
        assert main(["export", "--format", fmt, "--with-notes", "-o", str(out)]) == 0
        fresh = tmp_path / f"fresh-{fmt}"
        monkeypatch.setenv("READER_DATA_DIR", str(fresh))
        assert main(["import", "--no-resolve", str(out)]) == 0
        back = Store(Paths(fresh, paths.config_dir))
        got = {k: (s.note, s.tags) for k, s in back.states().items() if s.note or s.tags}
        if fmt == "ris":  # RIS has one line a note: its paragraphs come back joined
            want_ris = {k: (" ".join(n.split()), t) for k, (n, t) in want.items()}
            assert got == want_ris, fmt
        else:
            assert got == want, fmt


def test_a_preprints_journal_reference_comes_back_as_that_not_as_a_note(paths, tmp_path, monkeypatch, capsys):
    """CSL-JSON's note and RIS's N1 carry a preprint's journal reference, and the user's
    note after it: imported into another library, the reference became the paper's note
    (every preprint with a journal reference got one, with or without --with-notes)."""
    from reader.cli import main
    from reader.paths import Paths
    from reader.state import Change
    from reader.storage.store import Store

    store = Store(paths)
    store.import_papers([
        Paper(key="2401.00001", arxiv_id="2401.00001", title="A preprint", authors=["Ann Bee"], published="2024-01-02",
              journal_ref="Phys. Rev. D 12, 345 (2024)"),
        Paper(key="2401.00002", arxiv_id="2401.00002", title="Another", authors=["Cee Dee"], published="2024-01-03",
              journal_ref="Nature 1, 2 (2024)", doi="10.1/xyz"),
    ])
    store.apply([Change("2401.00002", "note", "Mine: read it")])
    for fmt in ("csl-json", "ris"):
        for extra in ([], ["--with-notes"]):
            out = tmp_path / f"x-{fmt}{len(extra)}"
            monkeypatch.setenv("READER_DATA_DIR", str(paths.data_dir))
            assert main(["export", "--format", fmt, *extra, "-o", str(out)]) == 0
            fresh = tmp_path / f"fresh-{fmt}{len(extra)}"
            monkeypatch.setenv("READER_DATA_DIR", str(fresh))
            assert main(["import", "--no-resolve", str(out)]) == 0
            back = Store(Paths(fresh, paths.config_dir))
            notes = {k: s.note for k, s in back.states().items() if s.note}
            assert notes == ({"2401.00002": "Mine: read it"} if extra else {}), (fmt, extra)
            papers = {p.key: (p.journal_ref, p.doi) for p in back.papers()}
            assert papers == {"2401.00001": ("Phys. Rev. D 12, 345 (2024)", ""),
                              "2401.00002": ("Nature 1, 2 (2024)", "10.1/xyz")}, (fmt, extra)
    capsys.readouterr()


def test_an_imported_note_never_replaces_the_users_and_tags_are_added(paths):
    from reader.state import Change

    store, attention, book = _library_with_marks(paths)
    store.apply([Change(book, "note", "My own note")])
    entry = ZOTERO_PREPRINT.replace("note = {arXiv", "annote = {Their note}, keywords = {nlp, transformers}, note = {arXiv")
    entry += "\n" + BOOK_BIB.replace("address", "annote={Not mine}, keywords={reference; books}, address")
    store.import_papers(parse_bibtex(entry))
    states = store.states()
    assert states[attention].note.startswith("Read **twice**.") and states[attention].tags == ["nlp", "to cite", "transformers"]
    assert states[book].note == "My own note" and states[book].tags == ["books", "reference"]


def test_zotero_ris_keywords_and_notes_are_tags_and_a_note(paths):
    from reader.storage.store import Store

    ris = ("TY  - JOUR\nTI  - A Zotero Paper\nAU  - Doe, Jane\nPY  - 2020\nT2  - J\nKW  - deep learning\nKW  - vision\n"
           "N1  - First note line\nN1  - Second note\nER  - \n")
    store = Store(paths)
    store.import_papers(parse_ris(ris))
    ((key, st),) = store.states().items()
    assert (st.note, st.tags) == ("First note line\nSecond note", ["deep learning", "vision"])
    assert store.catalogue.paper(key).title == "A Zotero Paper"


def test_the_tui_import_of_notes_and_tags_is_one_undo_step(paths):
    from reader.triage import Triage

    store, attention, book = _library_with_marks(paths)
    triage = Triage(store, background=False)
    entry = BOOK_BIB.replace("address", "annote={A note}, keywords={reference}, address")
    triage.import_papers(parse_bibtex(entry + "\n" + SCHOLAR.replace("year={2017}", "year={2017}, keywords={neurips}, annote={Theirs}")))
    assert (triage.state(book).note, triage.state(book).tags) == ("A note", ["books", "reference"])
    assert triage.state(attention).tags == ["neurips", "nlp", "to cite"]
    assert triage.state(attention).note.startswith("Read **twice**.")  # the user's note stays
    assert store.states()[book].note == "A note"  # saved
    triage.undo()
    assert (triage.state(book).note, triage.state(book).tags) == ("", ["books"])
    assert triage.state(attention).tags == ["nlp", "to cite"]


def test_zoteros_arxiv_line_is_no_note():
    item = {"type": "article", "title": "T", "note": "arXiv:1706.03762 [cs]", "keyword": "Computer Science - Learning"}
    parsed = parse_csl_json(json.dumps([item]))
    assert parsed[0].arxiv_id == "1706.03762"
    ((_paper, ann),) = parsed.marks
    assert (ann.note, ann.tags) == ("", ("Computer Science - Learning",))


ROUND_TRIP_NAMES = ["{World Health Organization}", "Steele, Jr., Guy L.", "van der Waals, Johannes",
                    "Beethoven, Ludwig van", "Ashish Vaswani", "Google", "Martin Luther King, Jr.", "Jean-Paul Sartre"]


def test_every_kind_of_name_comes_back_from_the_apps_own_ris():
    paper = Paper(key="t:x", title="Names", authors=ROUND_TRIP_NAMES, editors=["{Acme Corporation}", "Tor Edi"],
                  entry_type="book", published="2020", journal_date="2020")
    text = render([(paper, "k")], "ris")
    assert "AU  - World Health Organization,\n" in text  # EndNote's mark of a corporate name
    assert "AU  - Steele, Guy L., Jr.\n" in text  # RIS: Last, First, Suffix
    (back,) = parse_ris(text)
    assert back.editors == paper.editors and back.authors[:6] == paper.authors[:6]
    assert [parse_name(a) for a in back.authors] == [parse_name(a) for a in paper.authors]  # "King, Jr., Martin Luther"
    assert render([(back, "k")], "apa") == render([(paper, "k")], "apa")


def test_bibtex_howpublished_is_kept_a_url_in_it_is_the_link():
    got = {p.title: p for p in parse_bibtex(
        "@techreport{r, title={A Report}, author={Roe, Rick}, howpublished={Tech Report Series}, year=2020}\n"
        "@misc{m, title={A Repository}, author={Roe, Rick}, howpublished={\\url{https://github.com/x/y}}, year=2021}")}
    report = got["A Report"]
    assert (report.entry_type, report.journal) == ("report", "Tech Report Series")
    (back,) = parse_bibtex(render([(report, "k")], "bibtex"))
    assert (back.entry_type, back.journal) == ("report", "Tech Report Series")
    assert got["A Repository"].url == "https://github.com/x/y" and got["A Repository"].journal == ""


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcXYZ éß~^&%#_{}$\\ .*[]\n-`'", min_size=1, max_size=40))
def test_a_note_comes_back_through_the_apps_bibtex_as_written(note):
    from reader.citations import Annotation
    from reader.text import clean

    paper = Paper(key="t:x", title="T", authors=["A B"], published="2020")
    text = render([(paper, "k")], "bibtex", [Annotation(note, ("a {tag}", "50%"))])
    parsed = parse_bibtex(text)
    want = "\n".join(line.rstrip() for line in clean(note, keep_newlines=True).strip().splitlines()).strip()
    got = parsed.marks[0][1] if parsed.marks else None
    assert got is not None and got.tags == ("a {tag}", "50%")
    assert "\n".join(x.rstrip() for x in got.note.splitlines()).strip() == want


def test_a_preprint_stored_as_an_article_published_by_arxiv_is_mended_by_importing_it_again():
    old = Paper(key="1706.03762", title="Attention Is All You Need", arxiv_id="1706.03762",
                entry_type="article-journal", publisher="arXiv", journal_date="2017-06")  # as stored before
    (again,) = parse_bibtex(ZOTERO_PREPRINT)
    assert old.merge(again)
    assert (old.entry_type, old.publisher) == ("", "")
    assert render([(old, "k")], "bibtex").startswith("@misc{k,")
