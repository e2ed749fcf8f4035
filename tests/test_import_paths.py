"""The fast paths of an import give the catalogue the slow paths gave: the paper's JSON
written without the json module, ASCII titles normalized in one pass, and the bulk path
(a big import into a small library drops the secondary indexes and builds them again
after, inside its transaction) with its import-time settings. And a SIGKILL during a bulk
import leaves the library as it was before, whole."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from reader.model import Paper, title_key
from reader.storage import catalogue
from reader.storage.records import encode as _encode
from reader.storage.records import paper_json
from reader.storage.store import Store
from reader.text import _normalize, clean, normalize_title, read_math

ODD = ['"', "\\", "\n", "\t", "\x00", "\x1f", "\x7f", "\x85", "\u2028", "\u202e", "é", "ß", "ǅ", "ﬁ",
       "Σ", "\u00a0", "　", "$", "{", "_", "-", ":", "\\'e", "\\textbf", "  "]


def _text(rng: random.Random, n: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "
    return "".join(rng.choice(ODD) if rng.random() < 0.08 else rng.choice(letters) for _ in range(n))


def test_ascii_titles_normalize_as_every_title_does():
    rng = random.Random(4)
    ascii_chars = [chr(i) for i in range(128)]
    for _ in range(20_000):
        title = "".join(rng.choice(ascii_chars) for _ in range(rng.randint(0, 40)))
        assert normalize_title(title) == _normalize(read_math(clean(title))), repr(title)
    assert normalize_title("Self-Attention: {R}evisited_\\emph{Again}!") == "self attention r evisited again"


def test_paper_json_is_what_the_json_module_writes():
    rng = random.Random(5)
    for _ in range(20_000):
        p = Paper(key=_text(rng, 8), title=_text(rng, 30), abstract=_text(rng, rng.choice([0, 5, 200])),
                  authors=rng.choice([[], [_text(rng, 10) for _ in range(3)], [""], ["a", 1], ("x",)]),
                  upvotes=rng.choice([None, 0, 7, -1, True, False, 2.5, 0.0, 10**30]), doi=_text(rng, 5),
                  comments=rng.choice([None, 0, 3]), github_stars=rng.choice([None, 0]),
                  edited=rng.choice([[], ["title"]]), url=rng.choice(["", "u", None, 0]))
        assert paper_json(p) == _encode(p.to_dict()), p
    assert paper_json(Paper(key="", title="")) == "{}"


def _papers(rng: random.Random, n: int, start: int = 0) -> list[Paper]:
    """Papers with everything a merge looks at: arXiv ids, DOIs, title-only papers, the
    same work twice (by id, DOI and title) and odd characters."""
    out = []
    for i in range(start, start + n):
        title = f"{_text(rng, rng.randint(5, 60))} {i}"
        kind = i % 5
        aid = f"2401.{i:05d}" if kind < 3 else ""
        out.append(Paper(key=aid or title_key(title), title=title, arxiv_id=aid, abstract=_text(rng, rng.randint(0, 400)),
                         authors=[_text(rng, 12) for _ in range(rng.randint(0, 4))],
                         doi=f"10.1/X{i}" if kind in (1, 3) else "", published=f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}",
                         upvotes=rng.choice([None, 0, i % 300]), added_at="2026-01-01T00:00:00+00:00"))
        if i % 97 == 0 and out:  # the same work again: by arXiv id, DOI or title, with more to merge
            prev = out[rng.randrange(len(out))]
            out.append(Paper(key=prev.key, title=prev.title.upper(), arxiv_id=prev.arxiv_id, doi=prev.doi.lower(),
                             abstract=prev.abstract + " and more", upvotes=5))
    return out


def _dump(store: Store) -> dict:
    db = store.catalogue.db
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_fts USING fts5vocab(main, 'fts', 'instance')")
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_title USING fts5vocab(main, 'fts_title', 'row')")
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    for table in ("fts", "fts_title"):
        db.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
    return {
        "schema": db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall(),
        "papers": db.execute("SELECT * FROM papers ORDER BY id").fetchall(),
        "fts": db.execute("SELECT * FROM v_fts ORDER BY term, doc, col").fetchall(),
        "fts_title": db.execute("SELECT * FROM v_title ORDER BY term").fetchall(),
        "docsize": db.execute("SELECT * FROM fts_docsize ORDER BY id").fetchall()
        + db.execute("SELECT * FROM fts_title_docsize ORDER BY id").fetchall(),
        "config": db.execute("SELECT * FROM fts_config").fetchall() + db.execute("SELECT * FROM fts_title_config").fetchall(),
        "search": [store.catalogue.search(list(w))[0].tolist() for w in (["a"], ["b", "1"], ["2401"], ["e"])],
        "plans": db.execute("EXPLAIN QUERY PLAN SELECT id FROM papers WHERE norm = 'x'").fetchall(),
    }


def _import_twice(paths, monkeypatch, fast: bool) -> tuple[dict, list]:
    monkeypatch.setattr(catalogue, "BULK_MIN", 1000 if fast else 10**9)
    monkeypatch.setattr(catalogue, "BIG_IMPORT", 1000 if fast else 10**9)
    rng = random.Random(11)
    store = Store(paths)
    results = [vars(store.import_papers(_papers(rng, 3000)))]  # into the empty library: bulk when fast
    results.append(vars(store.import_papers(_papers(rng, 1500, start=2500))))  # smaller than the library: not bulk
    results.append(vars(store.import_papers(_papers(rng, 5000, start=3900))))  # bigger than it: bulk again
    dump = _dump(store)
    store.catalogue.close()
    return dump, results


def test_bulk_import_gives_the_catalogue_the_normal_path_gives(tmp_path, monkeypatch):
    from reader.paths import Paths

    fast, fast_results = _import_twice(Paths(tmp_path / "fast", tmp_path / "fast"), monkeypatch, True)
    slow, slow_results = _import_twice(Paths(tmp_path / "slow", tmp_path / "slow"), monkeypatch, False)
    assert fast_results == slow_results
    assert [r["existing"] > 0 and r["updated"] > 0 for r in fast_results[1:]] == [True, True]  # merges happened
    assert len(fast["papers"]) > 8000 and len(fast["fts"]) > 10_000
    assert all(fast["search"]) and "papers_norm" in str(fast["plans"])
    for part in slow:
        assert fast[part] == slow[part], part


CHILD = r"""
import sys
from pathlib import Path
from reader.model import Paper
from reader.paths import Paths
from reader.storage.store import Store
d = Path(sys.argv[1]); start = int(sys.argv[2]); n = int(sys.argv[3])
store = Store(Paths(d, d))
papers = [Paper(key=f"2402.{i:05d}", arxiv_id=f"2402.{i:05d}", title=f"Killed import paper {i}",
                abstract="words of an abstract " * 60, published=f"2024-01-{1 + i % 28:02d}") for i in range(start, start + n)]
print("start", flush=True)
store.import_papers(papers)
print("done", flush=True)
"""


def _child(data, start: int, n: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(data), str(start), str(n)],
                            stdout=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_sigkill_during_a_bulk_import_leaves_the_library_before_it(tmp_path):
    from reader.paths import Paths

    base = tmp_path / "base"
    base.mkdir()
    assert _child(base, 0, 3000).wait(timeout=120) == 0  # 3,000 papers; 6,000 more is a bulk import
    proc = _child(tmp_path / "timing", 0, 6000)  # how long the import itself takes here
    assert proc.stdout.readline() == "start\n"
    t = time.perf_counter()
    assert proc.stdout.readline() == "done\n"
    duration = time.perf_counter() - t
    proc.wait()
    rng = random.Random(3)
    outcomes = []
    for run in range(10):
        data = tmp_path / f"run{run}"
        shutil.copytree(base, data)
        proc = _child(data, 3000, 6000)
        assert proc.stdout.readline() == "start\n"
        time.sleep(rng.uniform(0, duration * 0.9))
        proc.send_signal(signal.SIGKILL)
        finished = "done" in proc.stdout.read()
        proc.wait()
        raw = sqlite3.connect(data / "library.db")  # as the kill left it (opening a Store would add missing indexes)
        names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {name for name, _sql in catalogue._INDEXES} <= names, f"run {run}: an index is missing"
        assert raw.execute("SELECT count(*) FROM papers").fetchone()[0] in (3000, 9000)
        raw.close()
        store = Store(Paths(data, data))
        assert store.warnings == []
        db = store.catalogue.db
        count = store.catalogue.count()
        assert count == 9000 if finished else count in (3000, 9000), (run, count)  # killed after its commit: 9000
        assert db.execute("SELECT count(*) FROM papers").fetchone()[0] == count
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert len(store.catalogue.search(["killed"])[0]) == count
        assert store.catalogue.order("published", True).tolist()[:1]  # the sort index reads
        outcomes.append(count == 9000)
        store.catalogue.close()
    assert not all(outcomes), "no kill landed during the import"  # (and random delays: some after it)
