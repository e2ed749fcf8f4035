"""Citations of bibliographies imported from elsewhere: a BibTeX title's case-protecting
braces, literal braces in plain-text titles, conference papers with an issue and no
volume, and the journal reference of old exports."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.citations import render
from reader.model import Paper
from reader.sources.bibtex import parse_bibtex
from reader.sources.csljson import parse_csl_json
from reader.sources.ris import parse_ris
from reader.sources.tex import decode_tex
from reader.text import clean

PROTECTED = "@inproceedings{b, title = {The {BERT} Model for {L}atin}, author = {Doe, Jane}, booktitle = {ACL}, year = 2020}"


def _title_field(bib: str) -> str:
    """The title field's value of one entry reader wrote (one line, outer braces off)."""
    return re.search(r"^  title = \{(.*)\},?$", bib, re.M).group(1)


def test_a_bibtex_titles_case_protecting_braces_survive_the_library_and_export(paths, capsys):
    """`{L}atin` in the user's file keeps its capital in every BibTeX style; the import
    dropped the braces, so reader's export wrote `Latin` for a style to lower-case. The
    title shown and cited elsewhere is plain."""
    from reader.cli import main
    from reader.storage.store import Store

    Store(paths).import_papers(parse_bibtex(PROTECTED))
    (paper,) = Store(paths).papers()  # read back from the stored record
    assert paper.title == "The BERT Model for Latin"
    for fmt in ("bibtex", "biblatex"):
        assert _title_field(render([(paper, "k")], fmt)) == "The {BERT} Model for {L}atin", fmt
    assert main(["cite", paper.key, "--format", "bibtex"]) == 0
    assert "  title = {The {BERT} Model for {L}atin},\n" in capsys.readouterr().out
    assert render([(paper, "k")], "apa").strip() == "Doe, J. (2020). The BERT Model for Latin. ACL."
    assert "The BERT Model for Latin." in render([(paper, "k")], "chicago")
    assert json.loads(render([(paper, "k")], "csl-json"))[0]["title"] == "The BERT Model for Latin"
    assert "\nTI  - The BERT Model for Latin\n" in render([(paper, "k")], "ris")
    (again,) = parse_bibtex(render([(paper, "k")], "bibtex"))  # reader's own export reads back the same
    assert (again.title, again.title_tex) == (paper.title, paper.title_tex)


def test_a_title_changed_since_import_is_exported_as_it_is_now():
    """The TeX form is the imported title's: once the title is edited it is not used."""
    (paper,) = parse_bibtex(PROTECTED)
    paper.title = "The BERT model for Latin prose"
    paper.edited = ["title"]
    assert _title_field(render([(paper, "k")], "bibtex")) == "The {BERT} model for Latin prose"


def test_the_users_tex_is_written_safe_and_acronyms_still_protected():
    """What LaTeX would stop on (a bare &, _) is escaped, letters beyond ASCII are TeX
    accents (classic BibTeX); a word the file left unprotected is protected as for any title,
    but nothing in math (a brace there came back as part of the title)."""
    (paper,) = parse_bibtex("@misc{m, title = {{\\\"U}ber GPT & {N}eural a_b nets in Zürich $x_1 + N + y$}, year = 2020}")
    assert paper.title == "Über GPT & Neural a_b nets in Zürich $x_1 + N + y$"
    field = _title_field(render([(paper, "k")], "bibtex"))
    assert field == "{\\\"U}ber {GPT} \\& {N}eural a\\_b nets in Z{\\\"u}rich $x_1 + N + y$"
    assert decode_tex(field) == paper.title


def test_escaped_braces_in_bibtex_are_characters():
    r"""`\{x\}` in a BibTeX title is the text "{x}" (the import lost both braces)."""
    (paper,) = parse_bibtex("@misc{m, title = {The \\{x\\} set}, year = 2020}")
    assert paper.title == "The {x} set"
    assert render([(paper, "k")], "apa").strip() == "The {x} set. (2020)."
    (back,) = parse_bibtex(render([(paper, "k")], "bibtex"))
    assert back.title == "The {x} set"


def test_literal_braces_in_a_ris_title_are_kept_and_never_taken_for_tex():
    """RIS is plain text: `TI  - The {x} set` was cited as "The x set", and its BibTeX
    made the braces a group (case protection), so the braces were gone everywhere."""
    (paper,) = parse_ris("TY  - JOUR\nTI  - The {x} set of $\\{0,1\\}^n$\nAU  - Doe, Jane\nPY  - 2020\nT2  - J\nER  - \n")
    assert paper.title == "The {x} set of $\\{0,1\\}^n$"
    assert render([(paper, "k")], "apa").strip() == "Doe, J. (2020). The {x} set of {0,1}ⁿ. J."
    assert "\nTI  - The {x} set of {0,1}ⁿ\n" in render([(paper, "k")], "ris")
    assert json.loads(render([(paper, "k")], "csl-json"))[0]["title"] == "The {x} set of {0,1}ⁿ"
    field = _title_field(render([(paper, "k")], "bibtex"))
    assert field == "The \\textbraceleft{}x\\textbraceright{} set of $\\{0,1\\}^n$"
    for fmt, parse in (("bibtex", parse_bibtex), ("ris", parse_ris), ("csl-json", parse_csl_json)):
        (back,) = parse(render([(paper, "k")], fmt))
        assert render([(back, "k")], "apa") == render([(paper, "k")], "apa"), fmt
    (item,) = parse_csl_json(json.dumps([{"type": "article-journal", "title": "A {y} set", "container-title": "J"}]))
    assert render([(item, "k")], "apa").strip() == "A {y} set. (n.d.). J."


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abXY é{}&%#_$^.", min_size=1, max_size=30))
def test_a_plain_text_title_comes_back_through_every_format(text):
    """A RIS title with braces, TeX specials or dollars: imported, it reads the same from
    reader's BibTeX, RIS and CSL-JSON, and is cited the same. (Math, "$...$", is TeX in
    any source: a brace inside it is TeX's.)"""
    text = clean(text)
    if not text or "$$" in text or re.search(r"\$[^$]*[{}][^$]*\$", text):
        return  # math is TeX whatever the source ("$$X$$" is read as math twice; a brace in it groups)
    (paper,) = parse_ris(f"TY  - JOUR\nTI  - {text}\nT2  - J\nER  - \n")
    want = render([(paper, "k")], "apa")
    for fmt, parse in (("bibtex", parse_bibtex), ("ris", parse_ris), ("csl-json", parse_csl_json)):
        (back,) = parse(render([(paper, "k")], fmt))
        assert render([(back, "k")], "apa") == want, fmt


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


_GROUP = st.sampled_from(["{BERT}", "{L}", "{\\\"o}", "{x y}", "\\{", "\\}", "\\&", "$x_1$", "{{GPT}}", "\\emph{W}"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_GROUP | st.text(alphabet="abXY é&_.-", min_size=1, max_size=4), min_size=1, max_size=8).map(" ".join))
def test_a_bibtex_title_reads_back_from_the_apps_bibtex_with_its_braces(raw):
    """Through reader's BibTeX (twice): the same title, and every group of the user's kept."""
    parsed = parse_bibtex(f"@misc{{m, title = {{{raw}}}, year = 2020}}")
    if not parsed:
        return  # an unbalanced title is refused by the parser
    (paper,) = parsed
    field = _title_field(render([(paper, "k")], "bibtex"))
    assert clean(decode_tex(field)) == paper.title
    (back,) = parse_bibtex(render([(paper, "k")], "bibtex"))
    assert back.title == paper.title
    assert _title_field(render([(back, "k")], "bibtex")) == field
    if paper.title_tex and _balanced(raw):  # as BibTeX counts braces (escaped ones too)
        for group in ("{BERT}", "{L}", "{{GPT}}"):
            assert field.count(group) >= raw.count(group)


# -- the journal reference in exports before it was labelled -------------------------------

# what reader wrote before the "Journal reference:" label (6761d17^), for two preprints with a
# journal reference, the first with the user's note (--with-notes): the reference alone on the first line
OLD_CSL = """[
  {"id": "dee2024another", "type": "article", "title": "Another", "author": [{"family": "Dee", "given": "Cee"}],
   "issued": {"date-parts": [[2024, 1, 3]]}, "publisher": "arXiv", "number": "arXiv:2401.00002",
   "DOI": "10.48550/arXiv.2401.00002", "URL": "https://arxiv.org/abs/2401.00002",
   "note": "Nature 1, 2 (2024), doi:10.1/xyz\\nMine: read it\\n\\nSecond paragraph"},
  {"id": "bee2024preprint", "type": "article", "title": "A preprint", "author": [{"family": "Bee", "given": "Ann"}],
   "issued": {"date-parts": [[2024, 1, 2]]}, "publisher": "arXiv", "number": "arXiv:2401.00001",
   "DOI": "10.48550/arXiv.2401.00001", "URL": "https://arxiv.org/abs/2401.00001",
   "note": "Phys. Rev. D 12, 345 (2024)"}
]"""
OLD_RIS = """TY  - UNPB
ID  - dee2024another
TI  - Another
AU  - Dee, Cee
PY  - 2024
DA  - 2024/01/03
PB  - arXiv
M1  - arXiv:2401.00002
DO  - 10.48550/arXiv.2401.00002
UR  - https://arxiv.org/abs/2401.00002
N1  - Nature 1, 2 (2024), doi:10.1/xyz
N1  - Mine: read it Second paragraph
ER  -

TY  - UNPB
ID  - bee2024preprint
TI  - A preprint
AU  - Bee, Ann
PY  - 2024
DA  - 2024/01/02
PB  - arXiv
M1  - arXiv:2401.00001
DO  - 10.48550/arXiv.2401.00001
UR  - https://arxiv.org/abs/2401.00001
N1  - Phys. Rev. D 12, 345 (2024)
ER  -
""".replace("ER  -\n", "ER  - \n")  # (as written: a space after ER's dash)


def _notes(parsed) -> dict[str, str]:
    return {p.key: ann.note for p, ann in parsed.marks}


def test_an_old_exports_unlabelled_journal_reference_is_read_as_that_not_as_a_note(paths):
    """An export from before the label, imported into another library: each preprint's
    journal reference became its note (the user's note after it was kept, and is)."""
    from reader.storage.store import Store

    for text, parse, mine in ((OLD_CSL, parse_csl_json, "Mine: read it\n\nSecond paragraph"),
                              (OLD_RIS, parse_ris, "Mine: read it Second paragraph")):
        parsed = parse(text)
        assert {p.key: (p.journal_ref, p.doi) for p in parsed} == {
            "2401.00002": ("Nature 1, 2 (2024)", "10.1/xyz"), "2401.00001": ("Phys. Rev. D 12, 345 (2024)", "")}
        assert _notes(parsed) == {"2401.00002": mine}
    store = Store(paths)
    store.import_papers(parse_csl_json(OLD_CSL))
    assert {k: s.note for k, s in store.states().items() if s.note} == {"2401.00002": "Mine: read it\n\nSecond paragraph"}
    assert {p.key: p.journal_ref for p in store.papers()}["2401.00001"] == "Phys. Rev. D 12, 345 (2024)"


OLD_REFERENCES = [
    "Phys. Rev. D 12, 345 (2024)", "Phys.Rev.D76:013009,2007", "JHEP 0712:029,2007", "NeurIPS 2017", "ICLR 2021 (oral)",
    "Nature 521, 436-444 (2015)", "Published in Transactions on Machine Learning Research (01/2023)",
    "Accepted at ACL 2020 main conference", "To appear in the Proceedings of ICML 2019",
    "IEEE Transactions on Information Theory, vol. 55, no. 1, pp. 1-10, Jan. 2009", "doi:10.1000/j.x.2020.01",
    "Proc. of the 40th Int. Conf. on Machine Learning, PMLR 202, 2023, doi:10.5555/3618408",
]
USER_NOTES = [
    "Read in 2024", "Compare with BERT (2018)", "Mine: read it", "Comment: Accepted at NeurIPS 2017", "TODO 2024",
    "arXiv:2001.01234", "arXiv:1706.03762 [cs]", "Read **twice**.", "Good one, see section 3 of the 2020 version",
    "Cited in my 2023 thesis, chapter 2", "2023-05-01: skimmed",
]


def test_a_person_note_is_never_taken_for_an_old_journal_reference():
    """Only a preprint's note, only its first line, and only a line that reads as a
    reference (a year and a volume, page or venue; no word of prose; no label)."""
    from reader.citations.notes import old_journal_line

    assert [r for r in OLD_REFERENCES if old_journal_line(r) is None] == []
    assert [n for n in USER_NOTES if old_journal_line(n) is not None] == []
    for note in USER_NOTES:
        item = {"type": "article", "title": "T", "publisher": "arXiv", "number": "arXiv:2401.00009", "note": note}
        (paper,) = parsed = parse_csl_json(json.dumps([item]))
        assert paper.journal_ref == "" and list(_notes(parsed).values()) in ([note], []), note  # (Zotero's arXiv line: no note)
    ref = "Phys. Rev. D 12, 345 (2024)"
    published = {"type": "article-journal", "title": "T", "container-title": "J", "note": ref}
    no_arxiv = {"type": "article", "title": "T", "note": ref}
    second = {"type": "article", "title": "T", "number": "arXiv:2401.00009", "note": "Mine\n" + ref}
    for item in (published, no_arxiv, second):
        parsed = parse_csl_json(json.dumps([item]))
        assert (parsed[0].journal_ref, list(_notes(parsed).values())) == ("", [item["note"]])
    bib = parse_bibtex(f"@misc{{m, title={{T}}, eprint={{2401.00009}}, archivePrefix={{arXiv}}, annote={{{ref}}}}}")
    assert (bib[0].journal_ref, _notes(bib)) == ("", {"2401.00009": ref})


def test_a_note_that_reads_as_a_journal_reference_comes_back_from_todays_exports():
    """Today's CSL-JSON and RIS label the reference, so a preprint without one starts its
    note with the user's first line: one that reads as a reference is written after
    "Note: " (and read back without it), else the next import would take it away."""
    from reader.citations import Annotation

    paper = Paper(key="2401.00009", arxiv_id="2401.00009", title="T", authors=["A B"], published="2024")
    for note in ("NeurIPS 2023", "Note: NeurIPS 2023", "Note: Note: x 2020", "Published at ICML 2024\nRead twice."):
        for fmt, parse in (("csl-json", parse_csl_json), ("ris", parse_ris)):
            back = parse(render([(paper, "k")], fmt, [Annotation(note, ())]))
            want = note if fmt == "csl-json" else " ".join(note.split())
            assert (back[0].journal_ref, _notes(back)) == ("", {"2401.00009": want}), (fmt, note)
    assert '"note": "Note: NeurIPS 2023"' in render([(paper, "k")], "csl-json", [Annotation("NeurIPS 2023", ())])


_NOTE_BITS = st.sampled_from(["NeurIPS", "2023", "Phys.", "Rev.", "D", "12,", "(2024)", "doi:10.1/x", "Note:", "Journal reference:",
                              "in", "at", "read", "arXiv:2401.00001", "\n", " ", "TODO", "ICML"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_NOTE_BITS, min_size=1, max_size=10).map(" ".join), st.sampled_from(["", "Nature 1, 2 (2024)"]))
def test_any_note_and_journal_reference_come_back_from_todays_csl_json_and_ris(note, ref):
    from reader.citations import Annotation

    paper = Paper(key="2401.00009", arxiv_id="2401.00009", title="T", authors=["A B"], published="2024", journal_ref=ref)
    cleaned = clean(note, keep_newlines=True).strip()
    if any(line.startswith(("Journal reference:", "arXiv:")) for line in cleaned.splitlines()):
        return  # (a line reader reads as the reference or the preprint's id wherever it is)
    for fmt, parse in (("csl-json", parse_csl_json), ("ris", parse_ris)):
        back = parse(render([(paper, "k")], fmt, [Annotation(note, ())]))
        want = cleaned if fmt == "csl-json" else " ".join(note.split())
        assert back[0].journal_ref == ref, fmt
        assert _notes(back).get("2401.00009", "") == want, fmt


# -- BibTeX round trips ------------------------------------------------------------------


def test_a_thesis_and_a_report_name_their_school_and_institution_in_bibtex():
    """@phdthesis and @techreport were written with `howpublished`, which their BibTeX
    styles do not print (and warn "empty school"): the school or institution was lost."""
    thesis, report = parse_bibtex("@phdthesis{t, title={A Thesis}, author={Doe, Jane}, school={MIT}, year=2019}\n"
                                  "@techreport{r, title={A Report}, author={Roe, Rick}, institution={Bell Labs}, number={TR-12}, year=2001}")
    assert "  school = {MIT},\n" in render([(thesis, "k")], "bibtex")
    assert "  institution = {MIT},\n" in render([(thesis, "k")], "biblatex")
    for fmt in ("bibtex", "biblatex"):
        assert "  institution = {Bell Labs},\n" in render([(report, "k")], fmt)
        assert "howpublished" not in render([(thesis, "k")], fmt) + render([(report, "k")], fmt)
        for paper in (thesis, report):
            (back,) = parse_bibtex(render([(paper, "k")], fmt))
            assert (back.entry_type, back.journal, back.issue) == (paper.entry_type, paper.journal, paper.issue)


def test_a_preprints_journal_reference_comes_back_from_the_apps_bibtex():
    """reader's BibTeX writes a preprint's journal reference (and published DOI) in `note`;
    its import read neither back."""
    papers = [Paper(key="2401.00001", arxiv_id="2401.00001", title="A preprint", authors=["Ann Bee"], published="2024-01-02",
                    journal_ref="Phys. Rev. D 12, 345 (2024)", doi="10.1103/x_y"),
              Paper(key="2401.00002", arxiv_id="2401.00002", title="No authors or year", journal_ref="NeurIPS 2023"),
              Paper(key="2401.00003", arxiv_id="2401.00003", title="A published DOI only", doi="10.1/z", published="2024")]
    for paper in papers:
        for fmt in ("bibtex", "biblatex"):
            (back,) = parse_bibtex(render([(paper, "k")], fmt))
            assert (back.journal_ref, back.doi) == (paper.journal_ref, paper.doi), (fmt, paper.title)
    others = parse_bibtex("@misc{a, title={A}, eprint={2401.00004}, archivePrefix={arXiv}, note={Under review}}\n"
                          "@misc{b, title={B}, eprint={2401.00005}, note={arXiv:2401.00005 [cs]}}\n"
                          "@article{c, title={C}, journal={J}, eprint={2401.00006}, note={Phys. Rev. D 1, 2 (2020)}}")
    assert [p.journal_ref for p in others] == ["", "", ""]  # another tool's note; a published paper's
