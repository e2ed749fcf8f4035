"""A copied Hugging Face page: the paragraph in a card's title place is its title, whatever
its punctuation or length (trial 10: "Dr. Jekyll vs. Mr. Hyde: ..." and a 390-character
title were dropped; on the daily page the abstract became the title). A paragraph that fits
no card is counted and said, never dropped silently."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.parsers import parse_text
from reader.text import normalize_title

BODY = "We study things. " * 10
ODD = [
    "Dr. Jekyll vs. Mr. Hyde: Dual Personas in Aligned LLMs",
    "Fourth Paper, e.g. a Case Study, i.e. an Example",
    "Attention Sinks. Why They Happen. And What To Do",
    "A " + "Very " * 78 + "Long Title",  # 390+ characters
]


def _trending(titles: list[str]) -> str:
    cards = "".join(f"{t}\n\n{BODY.strip()}\n\n" for t in titles)
    return f"Trending Papers\n\nMar 12\n\n{cards}"


def _daily(titles: list[str], abstract: str = "We show models have two personas. It is bad.") -> str:
    cards = "".join(f"Submitted by someone\nUpvote\n12\n\n{t}\n\n{abstract}\n\n3 authors · May 29, 2025\n\n"
                    for t in titles)
    return f"Daily Papers\nby AK and the research community\n\n{cards}"


def test_trending_page_keeps_titles_with_full_stops_and_long_ones():
    titles = ["First Paper About Things", *ODD, "Third Paper"]
    papers = parse_text(_trending(titles), "dots.txt")
    assert [p.title for p in papers] == titles
    assert all(p.abstract == BODY.strip() for p in papers)
    assert papers.problems == []


def test_daily_page_title_is_the_paragraph_after_the_count_never_the_abstract():
    papers = parse_text(_daily(ODD), "daily.txt")
    assert [p.title for p in papers] == ODD
    assert {p.abstract for p in papers} == {"We show models have two personas. It is bad."}


def test_daily_page_title_that_ends_with_a_full_stop_is_still_the_title():
    papers = parse_text(_daily(["Dr. Jekyll vs. Mr. Hyde. A Study."]), "daily.txt")
    assert [p.title for p in papers] == ["Dr. Jekyll vs. Mr. Hyde. A Study."]


def test_a_paragraph_that_fits_no_card_is_counted_and_said(paths, capsys):
    page = _trending(["First Paper"]) + "Second paragraph. Of the abstract. Not a title.\n\nThird Paper\n\nAbstract.\n"
    f = paths.data_dir.parent / "page.txt"
    f.write_text(page)
    assert main(["import", "--no-resolve", str(f)]) == 0
    out, err = capsys.readouterr()
    assert "page.txt: 2 papers read, 2 new, 0 already in the library, 1 entry skipped" in out
    lines = [ln for ln in err.splitlines() if "fits no card" in ln]
    assert len(lines) == 1 and lines[0].startswith(f"reader: {f}: ") and "Second paragraph" in lines[0]


_TITLE = st.text(st.sampled_from("abcXYZ .,:;-!?()e.g.i"), min_size=3, max_size=400).map(str.strip).filter(
    lambda t: len(t) >= 3 and t[0].isalpha() and normalize_title(t))


@settings(max_examples=60, deadline=None)
@given(st.lists(_TITLE, min_size=1, max_size=5, unique_by=normalize_title))
def test_fuzz_daily_page_every_card_title_is_kept(titles):
    papers = parse_text(_daily(titles), "daily.txt")
    assert len(papers) + len(papers.problems) >= len(titles)  # nothing silently lost
    assert [p.title for p in papers] == [" ".join(t.split()) for t in titles]
