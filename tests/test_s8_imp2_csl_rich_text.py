"""CSL-JSON titles hold CSL rich text (Zotero: <i>, <b>, <sub>, <sup>, <span class="nocase">,
small caps). Trial 10 #6: the tags were kept literally in the title and every citation."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.parsers import parse_text
from reader.sources.tex import decode_tex

TITLE = 'Synthesis of H<sub>2</sub>O in <i>E. coli</i> with <span class="nocase">mRNA</span>'


def _one(title: str):
    (paper,) = parse_text(json.dumps([{"type": "article-journal", "title": title, "container-title": "J"}]), "lit.json")
    return paper


def test_tags_are_dropped_from_the_title_and_kept_as_tex():
    paper = _one(TITLE)
    assert paper.title == "Synthesis of H2O in E. coli with mRNA"
    assert paper.title_tex == r"Synthesis of H\textsubscript{2}O in \textit{E. coli} with {mRNA}"


def test_bold_superscript_small_caps_and_tex_specials():
    paper = _one('<b>Bold</b> &amp; <span style="font-variant:small-caps;">Caps</span> 50% x<sup>2</sup>'.replace("&amp;", "&"))
    assert paper.title == "Bold & Caps 50% x2"
    assert paper.title_tex == r"\textbf{Bold} \& \textsc{Caps} 50\% x\textsuperscript{2}"


def test_unbalanced_or_unknown_tags_are_text():
    assert _one("a <i>b").title == "a <i>b"
    assert _one("x < y and <foo>z</foo>").title == "x < y and <foo>z</foo>"


def test_citations_show_no_tags(paths, capsys):
    f = paths.data_dir.parent / "lit.json"
    f.write_text(json.dumps([{"id": "a", "type": "article-journal", "title": TITLE, "container-title": "Chem J",
                              "author": [{"family": "Chem", "given": "Ann"}], "issued": {"date-parts": [[2020]]}}]))
    assert main(["import", "--no-resolve", str(f)]) == 0
    capsys.readouterr()
    main(["cite", "Synthesis", "--format", "bibtex"])
    bib = capsys.readouterr().out
    assert r"title = {Synthesis of H\textsubscript{2}O in \textit{E. coli} with {mRNA}}" in bib
    main(["cite", "Synthesis", "--format", "apa"])
    apa = capsys.readouterr().out
    assert "Synthesis of H2O in E. coli with mRNA" in apa and "<" not in apa


_WORD = st.text(st.sampled_from("abcXY 12&%#_"), min_size=1, max_size=8)
_TAG = st.sampled_from(["i", "b", "sub", "sup", 'span class="nocase"', 'span style="font-variant:small-caps;"'])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(_WORD, _TAG, _WORD), min_size=1, max_size=4), _WORD)
def test_fuzz_rich_title_tex_reads_as_the_plain_title(parts, tail):
    title = "".join(f"{a}<{tag}>{b}</{tag.split()[0]}>" for a, tag, b in parts) + tail
    plain = "".join(a + b for a, _tag, b in parts) + tail
    if not plain.strip():  # no title at all: not a paper (another test's matter)
        return
    paper = _one(title)
    assert paper.title == " ".join(plain.split())
    assert "<" not in paper.title
    if paper.title_tex:
        assert " ".join(decode_tex(paper.title_tex).split()) == paper.title
