"""The published version from Crossref during resolve (against the local test server)."""

from __future__ import annotations

import pytest

from reader.citations import render
from reader.model import Paper
from reader.resolve import crossref
from reader.resolve.resolver import CROSSREF_INTERVAL, Resolver, make_client
from reader.storage.store import Store
from reader.triage import Triage

from . import test_resolve
from .test_resolve import FakeClock

server = test_resolve.server  # the local HF/arXiv/Crossref stand-in (a fixture)

MALDACENA = Paper(key="hep-th/9711200", title="The Large N Limit of Superconformal Field Theories and Supergravity",
                  authors=["Juan M. Maldacena"], arxiv_id="hep-th/9711200", published="1997-11-27",
                  doi="10.1023/A:1026654312961", journal_ref="Adv.Theor.Math.Phys.2:231-252,1998")


@pytest.fixture(autouse=True)
def mailto(monkeypatch, server):
    monkeypatch.setenv("READER_MAILTO", "someone@example.org")


def resolve(paths, papers, cache_dir=None):
    store = Store(paths)
    store.import_papers(papers)
    triage = Triage(store, background=False)
    clock = FakeClock()
    http = make_client(cache_dir, clock=clock.now, sleep=clock.sleep, timeout=0.5)
    summary = Resolver(http).run(store.papers(), apply=triage.update_papers)
    triage.close()
    return {p.key: p for p in Store(paths).papers()}, http, summary


def crossref_requests(server):
    return [entry for entry in server.log if entry[1].startswith("/crossref/")]


def test_resolve_finds_the_published_version_and_every_format_cites_it(paths, server):
    papers, _, summary = resolve(paths, [Paper(key="t:0", title="Ergotropy and Capacity Optimization in Heisenberg Spin Chain Quantum Batteries")])
    assert summary.count("resolved") == 1
    p = papers["t:0"]
    assert (p.entry_type, p.journal, p.volume, p.issue, p.pages, p.journal_date) == (
        "article-journal", "Physical Review A", "110", "5", "052404", "2024-11-04")
    assert p.arxiv_id == "2401.00001" and p.published == "2024-01-01"  # the preprint's date is kept
    (req,) = crossref_requests(server)
    assert req[1] == "/crossref/works/10.1103/PhysRevA.110.052404"
    assert "mailto:someone@example.org" in req[3] and req[3].startswith("reader/")
    bib = render([(p, "ali2024ergotropy")], "bibtex")
    assert bib.startswith("@article{") and "journal = {Physical Review A}" in bib and "number = {5}" in bib
    assert "doi = {10.1103/PhysRevA.110.052404}" in bib and "eprint = {2401.00001}" in bib
    assert "Physical Review A, 110(5), 052404. https://doi.org/10.1103/PhysRevA.110.052404" in render([(p, "k")], "apa")


def test_known_paper_with_a_journal_doi_is_completed_and_cached(paths, server, tmp_path):
    papers, http, _ = resolve(paths, [MALDACENA], cache_dir=tmp_path / "cache")
    p = papers["hep-th/9711200"]
    assert (p.journal, p.volume, p.issue, p.pages, p.journal_date) == (
        "International Journal of Theoretical Physics", "38", "4", "1113-1133", "1999-04")
    assert "(1999)" in render([(p, "k")], "apa") and "1997" not in render([(p, "k")], "apa")
    assert len(crossref_requests(server)) == 1
    # a second run asks nothing: the paper is complete, and the answer is cached anyway
    resolve(paths, [], cache_dir=tmp_path / "cache")
    assert len(crossref_requests(server)) == 1
    body = http.get(crossref.works_url(MALDACENA.doi))
    assert http.requests == 1 and b"Theoretical Physics" in body


@pytest.mark.parametrize("doi", ["10.9999/unknown", "10.31219/osf.io/preprint", "10.48550/arXiv.hep-th/9711200"])
def test_no_published_version_keeps_the_preprint(paths, server, doi):
    paper = Paper(**{**MALDACENA.to_dict(), "doi": doi})
    papers, _, _ = resolve(paths, [paper])
    p = papers[paper.key]
    assert not p.entry_type and not p.journal
    asked = crossref_requests(server)
    assert len(asked) == (0 if doi.startswith("10.48550/") else 1)  # arXiv's own DOI: never asked
    assert render([(p, "k")], "bibtex").startswith("@misc{")


def test_malformed_answer_keeps_the_preprint(paths, server):
    server.modes["malformed"] = True
    papers, _, _ = resolve(paths, [MALDACENA])
    assert not papers[MALDACENA.key].entry_type


def test_crossref_is_rate_limited(server):
    client = make_client(None)
    host = f"127.0.0.1:{server.port}"
    assert client.min_interval[host] > 0  # the test server shares the HF host: its interval stands
    assert CROSSREF_INTERVAL >= 1.0


def test_parse_work_types_and_dates():
    p = Paper(key="k", title="t")
    work = b'{"message": {"type": "proceedings-article", "container-title": ["Proc. X"], "published-print": {"date-parts": [[2016, 6]]}}}'
    got = crossref.parse_work(work, p)
    assert got.entry_type == "paper-conference" and got.journal == "Proc. X" and got.journal_date == "2016-06"
    assert crossref.parse_work(b'{"message": {"type": "posted-content"}}', p) is None
    with pytest.raises(Exception, match="Crossref"):
        crossref.parse_work(b"<html>", p)
