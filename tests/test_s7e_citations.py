"""Trial 9's citation bugs: BibTeX's "and others", notes' escape sequences in text
exports, what reader's own exports lose on the way back, theses, CSL-JSON dates without
date-parts, and `reader cite` with many matches."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.citations import FORMATS, render
from reader.citations.names import OTHERS
from reader.model import Paper
from reader.sources.bibtex import parse_bibtex
from reader.sources.csljson import parse_csl_json
from reader.sources.ris import parse_ris

PARSERS = {"bibtex": parse_bibtex, "biblatex": parse_bibtex, "ris": parse_ris, "csl-json": parse_csl_json}

# -- 1. "and others" ---------------------------------------------------------------------

SCHOLAR = """@inproceedings{brown2020language,
  title={Language Models are Few-Shot Learners},
  author={Brown, Tom and Mann, Benjamin and Ryder, Nick and others},
  booktitle={Advances in Neural Information Processing Systems},
  pages={1877--1901}, year={2020}
}"""


def test_and_others_is_kept_in_the_library_and_cited_in_every_format(paths, capsys):
    """Google Scholar's `and others` was dropped: every format cited the paper as if it
    had three authors. It is kept at the end of the stored list and every format says it."""
    from reader.cli import main
    from reader.storage.store import Store

    Store(paths).import_papers(parse_bibtex(SCHOLAR))
    (paper,) = Store(paths).papers()
    assert paper.authors == ["Tom Brown", "Benjamin Mann", "Nick Ryder", OTHERS]

    def cite(fmt: str) -> str:
        assert main(["cite", "brown2020language", "--format", fmt]) == 0
        return capsys.readouterr().out

    for fmt in ("bibtex", "biblatex"):
        assert "  author = {Brown, Tom and Mann, Benjamin and Ryder, Nick and others},\n" in cite(fmt)
    assert cite("apa").startswith("Brown, T., Mann, B., Ryder, N., et al. (2020). Language Models")
    assert cite("mla").startswith("Brown, Tom, et al. “Language Models")
    assert cite("chicago").startswith("Brown, Tom, Benjamin Mann, Nick Ryder, et al. 2020.")
    assert re.findall(r"^AU  - (.*)$", cite("ris"), re.M) == ["Brown, Tom", "Mann, Benjamin", "Ryder, Nick", "others"]
    assert json.loads(cite("csl-json"))[0]["author"][-1] == {"literal": "others"}


def test_and_others_among_editors_and_one_named_author():
    paper = Paper(key="t:x", title="A chapter", authors=["Ann Solo", OTHERS], editors=["Tor Edi", OTHERS],
                  entry_type="chapter", journal="Big Book", publisher="Pub", published="2017", journal_date="2017")
    assert render([(paper, "k")], "apa").strip() == "Solo, A., et al. (2017). A chapter. In T. Edi et al. (Eds.), Big Book. Pub."
    assert render([(paper, "k")], "chicago").startswith("Solo, Ann, et al. 2017. “A Chapter.” In Big Book, edited by Tor Edi et al.")
    assert "editor = {Edi, Tor and others}" in render([(paper, "k")], "bibtex")


def test_other_tools_forms_of_and_others_are_read_as_that():
    """pandoc writes BibTeX's `and others` as the CSL name {"literal": "others"}; "et al." as a
    last name (CSL-JSON, RIS) means the same. Alone it names no one: no authors."""
    csl = parse_csl_json(json.dumps([
        {"title": "A", "author": [{"family": "Doe", "given": "Jane"}, {"literal": "others"}]},
        {"title": "B", "author": [{"family": "Doe", "given": "Jane"}, {"literal": "et al."}]},
        {"title": "C", "author": [{"literal": "others"}]},
    ]))
    assert [p.authors for p in csl] == [["Jane Doe", OTHERS], ["Jane Doe", OTHERS], []]
    (ris,) = parse_ris("TY  - JOUR\nTI  - T\nAU  - Doe, Jane\nAU  - et al.\nER  - \n")
    assert ris.authors == ["Jane Doe", OTHERS]
    (bib,) = parse_bibtex("@misc{a, title={T}, author={others}}")
    assert bib.authors == []


_NAME = st.builds(lambda g, f: f"{g} {f}", st.sampled_from(["Ann", "Bo", "Jean-Luc", "J. R."]),
                  st.sampled_from(["Solo", "Müller", "O'Neil", "Smith-Jones"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(_NAME, min_size=1, max_size=4), st.booleans(), st.lists(_NAME, max_size=2), st.booleans())
def test_and_others_comes_back_from_the_apps_own_exports(authors, more, editors, eds_more):
    paper = Paper(key="t:x", title="A title", authors=authors + [OTHERS] * more, editors=editors + [OTHERS] * (eds_more and bool(editors)),
                  entry_type="chapter", journal="Big Book", published="2020", journal_date="2020")
    for fmt, parse in PARSERS.items():
        (back,) = parse(render([(paper, "k")], fmt))
        assert (back.authors, back.editors) == (paper.authors, paper.editors), fmt


def test_formats_are_all_covered():
    assert set(PARSERS) | {"apa", "mla", "chicago", "markdown", "plain"} == set(FORMATS)


# -- 2. a note's escape sequences in every export ---------------------------------------

HOSTILE_NOTE = ("Read \x1b[31mthis\x1b[0m first\x1b]0;PWNED\x07 then\x1b]52;c;ZXZpbA==\x1b\\ that\n"
                "\tindented \u202eevil\u202c, \u2066isolated\u2069 \x9b31mC1 \x9d0;t\x9c \x90dcs\x9c end\r\n"
                "\x1bPq#0;2\x1b\\bell\x07 back\x08space del\x7f nul\x00 nel\x85.")
HOSTILE_TAGS = ("t\x1b[1mag", "x\u202ey", "b\x07el")
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_a_notes_escape_sequences_never_reach_any_export(paths, capsys):
    """`reader export --with-notes` wrote a note's ESC sequences raw in APA, MLA, Chicago,
    Markdown and plain (an OSC 52 there sets the clipboard of the terminal it is printed in).
    Every format's output holds no control character but newlines (and RIS/BibTeX none in
    the note), no bidi override, and the note's words."""
    from reader.cli import main
    from reader.storage.store import Store
    from reader.triage import Triage

    store = Store(paths)
    store.import_papers([Paper(key="2401.00001", title="A paper", authors=["Ann Solo"], arxiv_id="2401.00001", published="2024-01-02")])
    triage = Triage(store, background=False)
    triage.set_note("2401.00001", HOSTILE_NOTE)
    triage.set_tags(["2401.00001"], list(HOSTILE_TAGS))
    triage.flush()
    for fmt in FORMATS:
        assert main(["export", "--format", fmt, "--with-notes"]) == 0
        out = capsys.readouterr().out
        assert not _UNSAFE.search(out.replace("\t", "")), (fmt, _UNSAFE.findall(out))
        words = re.sub(r"\\\\[a-z]+\{\}|[{}\\\\]", "", out)  # BibTeX's escapes aside
        for word in ("Read", "this", "first", "then", "that", "indented", "evil", "isolated", "C1", "end", "bell", "back", "space", "del", "nul", "nel"):
            assert word in words, (fmt, word)
        assert "PWNED" not in out and "ZXZpbA" not in out, fmt
        assert "tag" in out and re.search("x ?y", out) and re.search("b ?el", out), fmt  # a tag's control: a space


# -- 3. what reader's own exports lose on the way back ------------------------------------

def _marks(parsed) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {p.title: (a.note, a.tags) for p, a in parsed.marks}


def test_a_tag_with_a_semicolon_or_comma_comes_back_as_one_tag():
    """`a;b` came back as two tags `a` and `b` from BibTeX, BibLaTeX and CSL-JSON (RIS has a
    KW line a tag). BibTeX braces such a tag (biblatex reads `{a;b}` as one keyword); CSL-JSON
    keeps `keyword` for other tools and adds the list in `custom` (the schema's place for
    data it has no field for)."""
    from reader.citations import Annotation

    paper = Paper(key="t:x", title="T", authors=["Ann Bee"], published="2020")
    tags = ("a;b", "Learning, Deep", "plain", "x{y}")
    text = {fmt: render([(paper, "k")], fmt, [Annotation("", tags)]) for fmt in PARSERS}
    assert "  keywords = {{a;b}, {Learning, Deep}, plain, x\\textbraceleft{}y\\textbraceright{}}\n" in text["bibtex"]
    item = json.loads(text["csl-json"])[0]
    assert item["keyword"] == "a;b, Learning, Deep, plain, x{y}" and item["custom"] == {"tags": list(tags)}
    assert "custom" not in json.loads(render([(paper, "k")], "csl-json", [Annotation("", ("a", "b c"))]))[0]
    for fmt, parse in PARSERS.items():
        assert _marks(parse(text[fmt]))["T"][1] == tags, fmt


def test_a_published_papers_own_date_comes_back_from_csl_json():
    """A published paper whose preprint is dated 2017-12 and whose venue only 2017 came back
    dated 2017: exports cite the venue's date. CSL-JSON keeps the preprint's in `submitted`
    (arXiv's "Submitted on"; the styles do not print it)."""
    paper = Paper(key="1706.03762", title="Attention Is All You Need", authors=["Ashish Vaswani"], arxiv_id="1706.03762",
                  published="2017-12", entry_type="paper-conference", journal="NeurIPS", volume="30", journal_date="2017")
    item = json.loads(render([(paper, "k")], "csl-json"))[0]
    assert item["issued"] == {"date-parts": [[2017]]} and item["submitted"] == {"date-parts": [[2017, 12]]}
    (back,) = parse_csl_json(render([(paper, "k")], "csl-json"))
    assert (back.published, back.journal_date) == ("2017-12", "2017")
    for fmt in ("bibtex", "biblatex", "ris"):  # no field for it: the venue's date, as cited
        (back,) = PARSERS[fmt](render([(paper, "k")], fmt))
        assert (back.published, back.journal_date) == ("2017", "2017"), fmt


_TAG = st.text(alphabet="ab Zé;,{}\\%&#_~^$-`'.", min_size=1, max_size=12).filter(lambda t: t.strip(" ,;"))
_DATE = st.builds(lambda y, m, d, n, season, circa: ("-".join([str(y), f"{m:02d}", f"{d:02d}"][:n]) if not season
                                                    else f"{y}-{20 + season}") + ("~" if circa else ""),
                  st.integers(1900, 2030), st.integers(1, 12), st.integers(1, 28), st.integers(1, 3),
                  st.sampled_from([0, 0, 1, 2, 3, 4]), st.booleans())


@settings(max_examples=150, deadline=None)
@given(st.lists(_TAG, max_size=4), _DATE, st.one_of(st.none(), _DATE),
       st.sampled_from(["", "article-journal", "paper-conference", "chapter", "book", "report", "thesis"]))
def test_tags_and_dates_come_back_from_every_export(tags, published, journal_date, kind):
    """Tags (any characters) and dates (year, month, day; a season; approximate) through each
    of reader's own exports and back: what the format has a field for comes back as it was.
    BibTeX has no day and no "circa": an approximate date has BibLaTeX's date too; a published paper's own
    earlier date comes back from CSL-JSON."""
    from reader.citations import Annotation
    from reader.state import unique_tags
    from reader.text import clean

    tags = tuple(unique_tags(clean(t) for t in tags))
    paper = Paper(key="t:x", title="A title", authors=["Ann Bee"], published=published, entry_type=kind,
                  journal="Venue" if kind else "", journal_date=(journal_date or published) if kind else "")
    for fmt, parse in PARSERS.items():
        parsed = parse(render([(paper, "k")], fmt, [Annotation("", tags)]))
        (back,) = parsed
        assert _marks(parsed).get("A title", ("", ()))[1] == tags, fmt
        cited = paper.journal_date if kind else paper.published
        if fmt == "bibtex":  # no day, except in the EDTF date written for an approximate one
            cited = cited if cited.endswith("~") else cited[:7]
        assert (back.journal_date if kind else back.published) == cited, fmt
        if kind and fmt == "csl-json":
            assert back.published == paper.published


def _library(paths):
    """A library as the trial had it: Scholar's entry with `and others`, theses, a NeurIPS paper
    whose preprint is dated 2017-12, a preprint; a tag with a semicolon, one with a comma, a note."""
    from reader.state import Change
    from reader.storage.store import Store

    store = Store(paths)
    store.import_papers([*parse_bibtex(SCHOLAR), *parse_bibtex(THESES), *parse_bibtex(ADDRESSED),
                         Paper(key="1706.03762", title="Attention Is All You Need", authors=["Ashish Vaswani", OTHERS],
                               arxiv_id="1706.03762", published="2017-12", entry_type="paper-conference", journal="NeurIPS",
                               volume="30", journal_date="2017"),
                         Paper(key="2401.00001", title="A preprint", authors=["Ann Bee"], arxiv_id="2401.00001",
                               published="2024-01-02", primary_category="cs.LG", journal_ref="Phys. Rev. D 12, 345 (2024)")])
    store.apply([Change("1706.03762", "tags", ["a;b", "to read"]), Change("1706.03762", "note", "First.\n\nSecond."),
                 Change("2401.00001", "tags", ["x, y"])])
    return store


# what a format has no field for (README): it comes back from the other fields, or not at all
_LOST = {
    "bibtex": {("Attention Is All You Need", "published"), ("A preprint", "published"),  # a preprint's date of a published paper; a day
               ("A habilitation", "published"), ("A habilitation", "journal_date"),
               ("Addressed", "published"), ("Addressed", "journal_date")},
    "biblatex": {("Attention Is All You Need", "published")},
    "ris": {("Attention Is All You Need", "published"), ("A preprint", "primary_category")},
    "csl-json": {("A preprint", "primary_category")},
}


def test_the_library_comes_back_from_each_of_its_own_exports(paths, tmp_path, monkeypatch):
    """The trial's round trip: `reader export --with-notes` in each machine format, imported
    into an empty library, gives the same papers (but what the format cannot hold) and the
    same notes and tags."""
    from reader.cli import main
    from reader.paths import Paths
    from reader.storage.store import Store

    source = _library(paths)
    want = {p.title: p.to_dict() for p in source.papers()}
    titles = {p.key: p.title for p in source.papers()}
    marks = {titles[k]: (s.note, s.tags) for k, s in source.states().items()}
    for fmt in PARSERS:
        out, fresh = tmp_path / f"all.{fmt}", Paths(tmp_path / f"fresh-{fmt}", paths.config_dir)
        monkeypatch.setenv("READER_DATA_DIR", str(paths.data_dir))
        assert main(["export", "--format", fmt, "--with-notes", "-o", str(out)]) == 0
        monkeypatch.setenv("READER_DATA_DIR", str(fresh.data_dir))
        assert main(["import", "--no-resolve", str(out)]) == 0
        back = Store(fresh)
        got = {p.title: p.to_dict() for p in back.papers()}
        assert got.keys() == want.keys(), fmt
        for title, record in want.items():
            for name in set(record) | set(got[title]):
                if name in ("key", "added_at", "source_file", "url", "title_tex") or (title, name) in _LOST[fmt]:
                    continue  # (the link is the arXiv page; title_tex: BibTeX's protecting braces, or none)
                assert got[title].get(name) == record.get(name), (fmt, title, name)
        titles = {p.key: p.title for p in back.papers()}
        got_marks = {titles[k]: (s.note, s.tags) for k, s in back.states().items()}
        if fmt == "ris":  # one line a note
            got_marks["Attention Is All You Need"] = ("First.\n\nSecond.", got_marks["Attention Is All You Need"][1])
        assert got_marks == marks, fmt


# -- 4. theses, a proceedings' address ------------------------------------------------------

THESES = r"""@phdthesis{muller2020uber, title={{\"U}ber neuronale Netze und Sprache}, author={M{\"u}ller, Jan},
  school={Universit{\"a}t T{\"u}bingen}, type={{PhD} {Thesis}}, year=2020}
@mastersthesis{doe2019masters, title={A masters thesis}, author={Doe, Jane}, school={MIT}, year=2019, month=dec}
@thesis{roe2018habil, title={A habilitation}, author={Roe, Rick}, institution={ETH}, type={Habilitation}, date={2018-05-04}}
@thesis{poe2017blx, title={A biblatex master's thesis}, author={Poe, Ed}, institution={MIT}, type={mathesis}, date={2017}}"""


def test_a_thesis_keeps_its_kind_and_school_in_every_format():
    """@phdthesis's `type` was dropped and @mastersthesis came back as @phdthesis; APA gave
    "Müller, J. (2020). Über neuronale Netze und Sprache. Universität Tübingen." The kind is
    the CSL genre (in APA's words), the school CSL's publisher: as apa.csl, "[Doctoral
    dissertation]" (with the school in it when a link follows)."""
    phd, ms, habil, blx = parse_bibtex(THESES)
    assert [(p.entry_type, p.genre, p.publisher, p.journal) for p in (phd, ms, habil, blx)] == [
        ("thesis", "Doctoral dissertation", "Universität Tübingen", ""), ("thesis", "Master's thesis", "MIT", ""),
        ("thesis", "Habilitation", "ETH", ""), ("thesis", "Master's thesis", "MIT", "")]
    assert render([(phd, "k")], "apa").strip() == "Müller, J. (2020). Über neuronale Netze und Sprache [Doctoral dissertation]. Universität Tübingen."
    assert render([(ms, "k")], "chicago").strip() == "Doe, Jane. 2019. “A Masters Thesis.” Master’s thesis, MIT."
    assert render([(ms, "k")], "bibtex").startswith("@mastersthesis{k,") and "  school = {MIT},\n" in render([(ms, "k")], "bibtex")
    assert "  type = {Habilitation},\n" in render([(habil, "k")], "bibtex")
    assert "  type = {mathesis},\n  institution" not in render([(ms, "k")], "biblatex")
    assert "  institution = {MIT},\n  type = {mathesis},\n" in render([(ms, "k")], "biblatex")
    item = json.loads(render([(phd, "k")], "csl-json"))[0]
    assert (item["genre"], item["publisher"], "container-title" in item) == ("Doctoral dissertation", "Universität Tübingen", False)
    assert "\nPB  - MIT\nM3  - Master's thesis\n" in render([(ms, "k")], "ris")
    for paper in (phd, ms, habil, blx):
        for fmt, parse in PARSERS.items():
            (back,) = parse(render([(paper, "k")], fmt))
            assert (back.entry_type, back.genre, back.publisher, back.journal) == ("thesis", paper.genre, paper.publisher, ""), (fmt, paper.title)
        (back,) = parse_bibtex(render([(paper, "k")], "bibtex"))
        assert render([(back, "k")], "bibtex").split("{")[0] == render([(paper, "k")], "bibtex").split("{")[0]


def test_a_thesis_stored_with_its_school_as_the_venue_still_names_it():
    """BibTeX imports before the genre kept a thesis's school as its container."""
    old = Paper(key="t:x", title="A thesis", authors=["Jane Doe"], entry_type="thesis", journal="MIT", published="2019", journal_date="2019")
    assert "  school = {MIT},\n" in render([(old, "k")], "bibtex")
    assert json.loads(render([(old, "k")], "csl-json"))[0]["publisher"] == "MIT"
    assert render([(old, "k")], "apa").strip() == "Doe, J. (2019). A thesis. MIT."


ADDRESSED = """@inproceedings{doe2019addressed, title={Addressed}, author={Doe, Jane}, booktitle={Proceedings of ACL},
  address={Florence, Italy}, publisher={ACL}, pages={1--9}, year=2019, month=jul, day=28}"""


def test_the_address_of_a_proceedings_paper_is_kept_in_every_format():
    """`address` of an @inproceedings was dropped. It is the publisher's place: BibTeX
    address, BibLaTeX location, CSL-JSON publisher-place, RIS CY; MLA and Chicago print it
    after the proceedings (as citeproc-js does), APA 7 prints no place. BibLaTeX's date keeps
    the day (BibTeX has no day field)."""
    (paper,) = parse_bibtex(ADDRESSED)
    assert paper.place == "Florence, Italy"
    assert "  address = {Florence, Italy},\n" in render([(paper, "k")], "bibtex")
    blx = render([(paper, "k")], "biblatex")
    assert "  location = {Florence, Italy},\n" in blx and "  date = {2019-07-28}\n" in blx
    assert json.loads(render([(paper, "k")], "csl-json"))[0]["publisher-place"] == "Florence, Italy"
    assert "\nCY  - Florence, Italy\n" in render([(paper, "k")], "ris")
    assert "Proceedings of ACL [Florence, Italy], 2019, pp. 1–9." in render([(paper, "k")], "mla")
    assert "Proceedings of ACL (Florence, Italy), July 28, 1–9." in render([(paper, "k")], "chicago")
    assert "Florence" not in render([(paper, "k")], "apa")
    for fmt, parse in PARSERS.items():
        (back,) = parse(render([(paper, "k")], fmt))
        assert back.place == "Florence, Italy", fmt


# -- 5. CSL-JSON dates without date-parts --------------------------------------------------

def _csl(issued) -> Paper:
    (paper,) = parse_csl_json(json.dumps([{"type": "article-journal", "title": "T", "container-title": "Journal of Things",
                                           "author": [{"family": "Doe", "given": "Jane"}], "issued": issued}]))
    return paper


def test_a_csl_json_date_written_in_words_gives_its_year_season_and_circa():
    """`issued: {"raw": "Spring 2019"}` and `{"literal": "circa 1900"}` were cited "n.d.". The
    year is read, and what CSL has a form for: a season (EDTF's 2019-21, as stored; CSL's
    season), an approximate date (EDTF's 1900~; CSL's circa), printed as citeproc-js does."""
    spring = _csl({"raw": "Spring 2019"})
    assert spring.journal_date == "2019-21"
    assert render([(spring, "k")], "apa").startswith("Doe, J. (2019). T. Journal of Things.")
    assert "Journal of Things, Spring 2019." in render([(spring, "k")], "mla")
    assert "Journal of Things, Spring." in render([(spring, "k")], "chicago")
    assert json.loads(render([(spring, "k")], "csl-json"))[0]["issued"] == {"date-parts": [[2019]], "season": 1}
    circa = _csl({"literal": "circa 1900"})
    assert circa.journal_date == "1900~"
    assert render([(circa, "k")], "apa").startswith("Doe, J. (ca. 1900). T.")
    assert "[1900?]" in render([(circa, "k")], "mla") and render([(circa, "k")], "chicago").startswith("Doe, Jane. [1900?].")
    assert json.loads(render([(circa, "k")], "csl-json"))[0]["issued"] == {"date-parts": [[1900]], "circa": True}
    assert [_csl(d).journal_date for d in (
        {"date-parts": [[2019]], "season": 4}, {"date-parts": [[2019, 13]]}, {"date-parts": [[1900, 5]], "circa": True},
        {"raw": "May 3, 2019"}, {"literal": "3 May 2019"}, "2019-22", {"raw": "the 1990s"}, {"literal": "n.d."})] == [
        "2019-24", "2019-21", "1900-05~", "2019-05-03", "2019-05-03", "2019-22", "", ""]


_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"]


@settings(max_examples=200, deadline=None)
@given(st.integers(1000, 2999), st.integers(0, 12), st.integers(1, 28), st.integers(0, 4), st.booleans(), st.integers(0, 4))
def test_a_date_in_words_reads_as_what_it_says(year, month, day, season, circa, form):
    """loose_date (a CSL raw/literal date, RIS's free part) on the forms people write."""
    from reader.sources.common import loose_date

    if season:
        text, want = f"{('Spring', 'Summer', 'Autumn', 'Winter')[season - 1]} {year}", f"{year}-{20 + season}"
    elif month:
        name = _MONTH_NAMES[month - 1]
        text, want = [(f"{name} {day}, {year}", f"{year}-{month:02d}-{day:02d}"), (f"{day} {name} {year}", f"{year}-{month:02d}-{day:02d}"),
                      (f"{name[:3]}. {year}", f"{year}-{month:02d}"), (f"{year}-{month:02d}-{day:02d}", f"{year}-{month:02d}-{day:02d}"),
                      (f"{name} {year}", f"{year}-{month:02d}")][form]
    else:
        text, want = str(year), str(year)
    if circa:
        text, want = ("circa " if form % 2 else "ca. ") + text, want + "~"
    assert loose_date(text) == want


# -- 6. `reader cite` with many matches -----------------------------------------------------

def test_an_ambiguous_cite_lists_cite_keys_and_says_how_many_more(paths, capsys):
    """`reader cite Learn` with 16 matches listed 8 with no word of the other 8, by internal
    keys (t:4407…) where `reader list` shows cite keys. Each key listed cites its paper."""
    from reader.cli import main
    from reader.storage.store import Store

    Store(paths).import_papers([Paper(key=f"t:{i}", title=f"Learning thing {i}", authors=[f"Ann Author{chr(97 + i)}"],
                                      published=str(2000 + i)) for i in range(16)])
    assert main(["list"]) == 0
    listed = dict(line[5:].split(None, 1) for line in capsys.readouterr().out.splitlines())  # after 4 marks
    assert main(["cite", "Learn"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "reader: 16 papers match 'Learn'; be more specific:"
    rows = [line.split(None, 1) for line in err[1:9]]
    assert all(listed[key] == title for key, title in rows) and len(rows) == 8
    assert err[9:] == ["  …and 8 more"]
    assert "t:" not in "\n".join(err)
    assert main(["cite", rows[3][0], "--format", "plain"]) == 0
    assert capsys.readouterr().out.strip() == rows[3][1] + "."
