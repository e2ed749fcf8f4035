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
