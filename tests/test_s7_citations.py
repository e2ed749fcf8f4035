"""Citations of bibliographies imported from elsewhere: a BibTeX title's case-protecting
braces, literal braces in plain-text titles, conference papers with an issue and no
volume, and the journal reference of old exports."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.citations import render
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
