"""A citation is "incomplete" only when something it needs is missing (trial 10, item 21):
a non-arXiv work is never asked for an arXiv id."""

from __future__ import annotations

from reader.citations import incomplete_fields
from reader.cli import main
from reader.model import Paper
from reader.storage.store import Store


def test_non_arxiv_works_are_not_asked_for_an_arxiv_id():
    misc = Paper(key="t:1", title="A web page", authors=["Ann Bee"], published="2020", url="https://example.org/x")
    book = Paper(key="t:2", title="The TeXbook", authors=["Donald E. Knuth"], published="1984", entry_type="book",
                 publisher="Addison-Wesley")
    article = Paper(key="t:3", title="An article", authors=["Cee Dee"], published="2019",
                    entry_type="article-journal", journal="Nature")
    plain_misc = Paper(key="t:4", title="Software", authors=["Org"], published="2021")  # @misc, no link
    for p in (misc, book, article, plain_misc):
        assert incomplete_fields(p) == [], p.title
    no_year = Paper(key="t:5", title="Undated page", authors=["Ann Bee"], url="https://example.org/y")
    assert incomplete_fields(no_year) == ["year"]
    undated_book = Paper(key="t:7", title="A book", authors=["Ann Bee"], entry_type="book", publisher="P")
    assert incomplete_fields(undated_book) == ["year"]
    assert incomplete_fields(Paper(key="t:6", title="Just a title")) == ["arXiv id", "authors", "year"]


def test_cite_does_not_warn_for_a_complete_misc(paths, capsys, monkeypatch):
    monkeypatch.setenv("READER_LOOKUP_SECONDS", "0")
    Store(paths).import_papers([Paper(key="t:1", title="A web page", authors=["Ann Bee"], published="2020",
                                      url="https://example.org/x")])
    assert main(["cite", "A web page", "--format", "bibtex"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("@misc{") and "incomplete" not in err and "arXiv" not in err
