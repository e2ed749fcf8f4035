"""Two works with the same title stay two papers; two records of one work stay one.

A trial imported LeCun, Bengio and Hinton's "Deep learning" (Nature 2015) and Goodfellow,
Bengio and Courville's "Deep Learning" (MIT Press 2016) from one .bib: the book vanished into
the article (which then said publisher = MIT Press), because one shared author, or even a
shared given name ("Andrew", "Michael"), made them one work."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.cli import main
from reader.model import Paper, different_works, family_name, title_key
from reader.storage.store import Store

from .conftest import FIXTURES


def _paper(title: str, *authors: str, **fields) -> Paper:
    return Paper(key=title_key(title), title=title, authors=list(authors), **fields)


def test_same_title_by_other_authors_stays_apart(paths, capsys):
    assert main(["import", str(FIXTURES / "works" / "same_titles.bib")]) == 0
    assert "4 new, 0 already in the library" in capsys.readouterr().out
    papers = {p.key: p for p in Store(paths).papers()}
    nature = next(p for p in papers.values() if p.doi == "10.1038/nature14539")
    assert nature.publisher != "MIT Press"
    assert sorted(family_name(p.authors[0]) for p in papers.values()) == ["goodfellow", "kaelbling", "lecun", "smith"]
    # again: each finds itself
    assert main(["import", str(FIXTURES / "works" / "same_titles.bib")]) == 0
    assert "0 new, 4 already in the library" in capsys.readouterr().out


def test_records_of_one_work_are_one_paper():
    same = [
        (["Vaswani, Ashish", "Shazeer, Noam"], ["A. Vaswani", "N. Shazeer", "N. Parmar"]),  # forms of names
        (["Vaswani A", "Shazeer N"], ["Ashish Vaswani"]),  # initials after
        (["Yann LeCun", "Yoshua Bengio"], ["LeCun, Y.", "Bengio, Y.", "Hinton, G."]),
        (["Ludwig van Beethoven"], ["van Beethoven, Ludwig"]),
        (["Guy L. Steele Jr.", "R. Gabriel"], ["Steele, Guy L., Jr."]),
        (["Bengio, Y.", "LeCun, Y."], ["LeCun, Y.", "Bengio, Y."]),  # reordered: all shared
        (["A. One", "B. Two", "C. Three"], ["D. Four", "B. Two", "C. Three"]),  # first changed, most shared
        (["A. One", "B. Two", "C. Three", "D. Four"], ["One, A.", "E. Five", "F. Six"]),  # the same first author
    ]
    for a, b in same:
        assert not different_works(_paper("T", *a), _paper("T", *b)), (a, b)
    apart = [
        (["LeCun, Yann", "Bengio, Yoshua", "Hinton, Geoffrey"], ["Goodfellow, Ian", "Bengio, Yoshua", "Courville, Aaron"]),
        (["Kaelbling, Leslie Pack", "Littman, Michael L.", "Moore, Andrew W."], ["Smith, Andrew", "Jones, Michael"]),
        (["Andrew Smith"], ["Andrew Jones"]),  # a given name in common is no author in common
        (["Smith, A.", "others"], ["Jones, B.", "others"]),  # "and others" is no one in common
        (["A. Smith", "et al."], ["B. Jones", "et al."]),
    ]
    for a, b in apart:
        assert different_works(_paper("T", *a), _paper("T", *b)), (a, b)
    # nothing to tell them apart: one work (as before)
    assert not different_works(_paper("T"), _paper("T", "Someone"))


def test_family_names():
    assert {family_name(n) for n in ["Vaswani, Ashish", "Ashish Vaswani", "A. Vaswani", "Vaswani A", "VASWANI, A."]} == {"vaswani"}
    assert family_name("Andrew Ng") == "ng" and family_name("Ng, Andrew") == "ng"
    assert family_name("Guy L. Steele Jr.") == "steele" == family_name("Steele, Guy L., Jr.")
    assert family_name("OpenAI") == "openai" and family_name("") == ""


names = st.lists(st.text(alphabet="abcdefghij .,", min_size=1, max_size=12), min_size=1, max_size=5)


@given(names, names)
def test_two_works_is_symmetric_and_a_record_is_its_own_work(a, b):
    pa, pb = _paper("T", *a), _paper("T", *b)
    assert different_works(pa, pb) == different_works(pb, pa)
    assert not different_works(pa, pa)
