"""The SQLite catalogue: migration from library.json, matching, full-text search, two
processes importing at once, the change counter other instances watch."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from reader.model import Paper, title_key
from reader.parsers import parse_file
from reader.storage.catalogue import search_words
from reader.storage.store import Store

from .conftest import SAMPLE


def _legacy_library(paths, docs: list[dict]) -> bytes:
    """A library.json as reader's first versions wrote it (TinyDB, schema 1)."""
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    data = {"_meta": {"1": {"app": "reader", "kind": "library", "schema": 1}},
            "papers": {str(i + 1): doc for i, doc in enumerate(docs)}}
    raw = json.dumps(data).encode()
    paths.library.write_bytes(raw)
    return raw


def test_library_json_is_migrated_losslessly_and_kept(paths):
    papers = parse_file(SAMPLE)
    docs = [p.to_dict() for p in papers]
    docs[0]["journal"] = "Nature"
    docs[1]["field_from_the_future"] = {"kept": True}  # a newer version's field
    raw = _legacy_library(paths, docs)
    store = Store(paths)
    assert store.warnings == []
    assert any("library.json" in n and "kept as library.json.migrated-" in n for n in store.notices)
    assert not paths.library.exists()
    (kept,) = paths.data_dir.glob("library.json.migrated-*")
    assert kept.read_bytes() == raw
    assert [p.to_dict() for p in store.papers()] == [Paper.from_dict(d).to_dict() for d in docs]
    stored = json.loads(store.catalogue.db.execute("SELECT data FROM papers WHERE id = 2").fetchone()[0])
    assert stored["field_from_the_future"] == {"kept": True}
    store.catalogue.close()
    again = Store(paths)  # once only
    assert again.notices == [] and again.catalogue.count() == 52
    assert len(list(paths.data_dir.glob("library.json.migrated-*"))) == 1


def test_interrupted_migration_is_redone(paths):
    docs = [p.to_dict() for p in parse_file(SAMPLE)]
    _legacy_library(paths, docs)
    half = paths.catalogue.with_name("library.db.migrating")
    half.write_bytes(b"SQLite format 3\x00 half written")  # killed during a migration
    store = Store(paths)
    assert store.catalogue.count() == 52 and not half.exists()


def test_corrupt_library_json_is_kept_aside_not_migrated(paths):
    paths.data_dir.mkdir(parents=True)
    paths.library.write_bytes(b'{"papers": {"1": {"key": "x", "tit')
    store = Store(paths)
    assert any("library.json" in w and "corrupt-" in w for w in store.warnings)
    assert store.catalogue.count() == 0
    assert list(paths.data_dir.glob("library.json.corrupt-*"))


def test_matching_by_arxiv_id_doi_and_title(paths):
    store = Store(paths)
    store.import_papers([
        Paper(key="2401.00001", title="First", arxiv_id="2401.00001"),
        Paper(key=title_key("Second Paper"), title="Second Paper", doi="10.1000/ABC"),
        Paper(key=title_key("Third: a Paper"), title="Third: a Paper"),
    ])
    result = store.import_papers([
        Paper(key="2401.00001", title="First, renamed", arxiv_id="2401.00001", abstract="now with text"),
        Paper(key=title_key("Second paper (journal version)"), title="Second paper (journal version)",
              doi="10.1000/abc", journal="J. Tests"),
        Paper(key=title_key("third - A PAPER"), title="third - A PAPER", authors=["Ada Lovelace"]),
    ])
    assert (result.new, result.existing, result.updated) == (0, 3, 3)
    by_title = {p.title: p for p in store.papers()}
    assert by_title["First"].abstract == "now with text"
    assert by_title["Second Paper"].journal == "J. Tests"
    assert by_title["Third: a Paper"].authors == ["Ada Lovelace"]


def test_search_prefix_title_first_and_follows_merges(paths):
    store = Store(paths)
    cat = store.catalogue
    store.import_papers([
        Paper(key=title_key("Graphs everywhere"), title="Graphs everywhere", abstract="about sparse attention"),
        Paper(key=title_key("Sparse attention"), title="Sparse attention", abstract="nothing else"),
        Paper(key=title_key("Kernels"), title="Kernels", authors=["Sparsity Smith"]),
    ])
    def search(query, limit=None):
        hits, more = cat.search(search_words(query), limit)
        return list(hits), more

    assert search("spar") == ([1, 0, 2], False)  # the title match first, then library order
    assert search("spar att")[0] == [1, 0]
    assert search('"] OR title:*')[0] == []  # user text is never FTS syntax
    assert search("spar", limit=1) == ([1], True)
    assert search("sparse attentio", limit=1) == ([1], True)
    store.import_papers([Paper(key=title_key("Graphs everywhere"), title="Graphs everywhere",
                               abstract="a much longer abstract about kernels and nothing sparse at all, really")])
    assert search("attention")[0] == [1]  # the old abstract's words are gone
    assert search("kernels")[0] == [2, 0]
    arxiv = Paper(key="2401.00002", title="arXiv:2401.00002", arxiv_id="2401.00002")
    store.import_papers([arxiv])
    assert search("2401")[0] == [3]
    store.update_papers({"2401.00002": Paper(key="2401.00002", title="Zebra finches", arxiv_id="2401.00002")})
    assert search("zeb")[0] == [3] and search("2401")[0] == []  # the title index follows


def test_catalogue_of_the_first_version_gets_the_title_index(paths):
    store = Store(paths)
    store.import_papers(parse_file(SAMPLE))
    store.catalogue.db.execute("DROP TABLE fts_title")
    store.catalogue.close()
    again = Store(paths).catalogue
    assert list(again.search(["pointer"], limit=5)[0]) == list(store.catalogue.search(["pointer"])[0])
    assert again.db.execute("SELECT count(*) FROM fts_title WHERE fts_title MATCH 'pointer'").fetchone()[0] == 1


def test_change_counter_sees_other_instances(paths):
    a, b = Store(paths), Store(paths)
    version = a.catalogue.version()
    b.import_papers([Paper(key=title_key("From b"), title="From b")])
    assert a.catalogue.version() != version
    assert [p.title for p in a.catalogue.papers(start=0)] == ["From b"]


def test_newer_catalogue_is_opened_read_only(paths):
    Store(paths).catalogue.close()
    conn = sqlite3.connect(paths.catalogue)
    conn.execute("UPDATE meta SET value = '99' WHERE name = 'schema'")
    conn.commit()
    conn.close()
    store = Store(paths)
    assert "newer reader" in store.readonly_reason
    import pytest

    from reader.storage.store import StoreError
    with pytest.raises(StoreError, match="newer reader"):
        store.import_papers(parse_file(SAMPLE))


IMPORTER = """
import sys
from pathlib import Path
from reader.model import Paper, title_key
from reader.paths import Paths
from reader.storage.store import Store
store = Store(Paths(Path(sys.argv[1]), Path(sys.argv[1])))
name = sys.argv[2]
for i in range(40):
    batch = [Paper(key=title_key(f"{name} {i} {j}"), title=f"{name} {i} {j}") for j in range(10)]
    batch.append(Paper(key=title_key(f"shared {i}"), title=f"shared {i}"))  # both import these
    store.import_papers(batch)
"""


def test_two_processes_importing_lose_nothing(paths):
    Store(paths).catalogue.close()
    procs = [subprocess.Popen([sys.executable, "-c", IMPORTER, str(paths.data_dir), name]) for name in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    store = Store(paths)
    titles = [p.title for p in store.papers()]
    assert len(titles) == len(set(titles)) == 2 * 400 + 40
    assert store.catalogue.count() == len(titles)


def test_works_that_share_only_a_title_stay_apart(paths):
    """A trial found two journal items titled "Correction" (two DOIs) merged into one, the
    second reported 'already in the library', and a same-titled record by other authors
    glued onto a paper. A title matches a paper only when nothing says they differ."""
    store = Store(paths)
    c1 = Paper(key=title_key("Correction"), title="Correction", doi="10.9999/c1", published="2024")
    c2 = Paper(key=title_key("Correction"), title="Correction", doi="10.9999/C2", published="2024")
    assert store.import_papers([c1, c2]).new == 2
    again = store.import_papers([Paper(key=c1.key, title="Correction", doi="10.9999/c2")])
    assert again.new == 0 and again.existing == 1
    bert = Paper(key=title_key("BERT"), title="BERT", authors=["Jacob Devlin", "Ming-Wei Chang"])
    store.import_papers([bert])
    other = Paper(key=title_key("BERT"), title="BERT.", authors=["Someone, Else"], published="1999")
    assert store.import_papers([other]).new == 1
    assert store.import_papers([other]).new == 0  # the same record again: found under its own key
    same = Paper(key=title_key("BERT"), title="Bert", authors=["Devlin, J."], doi="10.1/bert")
    assert store.import_papers([same]).new == 0  # shares a name: the same work, its DOI added
    anon = Paper(key=title_key("Correction"), title="Correction")
    assert store.import_papers([anon]).new == 0  # nothing tells it apart: the first of that title
    papers = store.papers()
    assert [p.title for p in papers] == ["Correction", "Correction", "BERT", "BERT."]
    assert papers[2].doi == "10.1/bert" and papers[2].authors == ["Jacob Devlin", "Ming-Wei Chang"]
    assert papers[3].authors == ["Someone, Else"] and len({p.key for p in papers}) == 4


def test_the_same_doi_is_the_same_work_however_names_are_written(paths):
    store = Store(paths)
    store.import_papers([Paper(key=title_key("T"), title="T", doi="10.1/t", authors=["王 小明"])])
    assert store.import_papers([Paper(key=title_key("T"), title="T", doi="10.1/T", authors=["Wang, Xiaoming"])]).new == 0


def test_a_full_disk_during_an_import_says_so_and_changes_nothing(paths):
    """SQLite rolls a transaction back itself on SQLITE_FULL; the ROLLBACK after it failed
    with "cannot rollback - no transaction is active", and that took the place of the real
    error in the message (trial 9, on a 2 MB tmpfs). A page limit fills the file here."""
    from reader.storage.store import StoreError

    store = Store(paths)
    store.import_papers([Paper(key=f"t:{i}", title=f"Paper {i}") for i in range(5)])
    db = store.catalogue.db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 3}")
    big = [Paper(key=f"t:big{i}", title=f"Big paper {i}", abstract="word " * 400) for i in range(300)]
    with pytest.raises(StoreError) as raised:
        store.import_papers(big)
    assert "disk full" in str(raised.value) and "not imported" in str(raised.value), raised.value
    assert "rollback" not in str(raised.value)
    assert not db.in_transaction
    assert [p.key for p in store.papers()] == [f"t:{i}" for i in range(5)]
    db.execute(f"PRAGMA max_page_count = {2**30}")  # room again: the same import goes through
    assert store.import_papers(big).new == 300
