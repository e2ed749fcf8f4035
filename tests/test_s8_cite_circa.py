"""An approximate date ("circa 1900") in BibTeX and BibLaTeX, and back through reader's import."""

from __future__ import annotations

import bibtexparser
import pytest

from reader.cli import main
from reader.model import Paper
from reader.sources.bibtex import parse_bibtex

CIRCA = Paper(key="t:old", title="Old book", authors=["Dan Delta"], entry_type="book", publisher="Old Press",
              published="1900~", journal_date="1900~")
EXACT = Paper(key="t:new", title="New book", authors=["Eve Eps"], entry_type="book", publisher="New Press",
              published="1999-04", journal_date="1999-04")


def _export(paths, capsys, fmt: str) -> str:
    from reader.storage.store import Store

    Store(paths).import_papers([CIRCA, EXACT])
    assert main(["export", "--format", fmt]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_circa_comes_back_from_bibtex_and_biblatex(paths, capsys, fmt):
    text = _export(paths, capsys, fmt)
    back = {p.title: p for p in parse_bibtex(text)}
    assert back["Old book"].published == "1900~" and back["Old book"].journal_date == "1900~"
    assert back["New book"].published == "1999-04"


def test_bibtex_keeps_a_numeric_year_and_adds_the_edtf_date_only_for_circa(paths, capsys):
    fields = {e.key: {f.key: f.value for f in e.fields} for e in bibtexparser.parse_string(_export(paths, capsys, "bibtex")).entries}
    old, new = fields["delta1900old"], fields["eps1999new"]
    assert old["year"] == "1900" and old["date"] == "1900~"  # styles need the number; biber/JabRef/reader read date
    assert new["year"] == "1999" and new["month"] == "apr" and "date" not in new


def test_biblatex_writes_the_edtf_date():
    from reader.citations import render

    text = render([(CIRCA, "k")], "biblatex")
    assert "date = {1900~}" in text and "year" not in text
