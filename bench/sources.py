"""Benchmarks for the sources work: ``python bench/sources.py [--entries 20000]``.

- BibTeX import rate: parse a generated .bib (macros, TeX accents, arXiv eprints) and merge
  it into an empty library (entries/s, parse and store separately).
- arXiv snapshot import rate: stream a generated JSON-lines snapshot, unfiltered and with a
  category filter (lines/s), plus peak traced memory of the parse alone.
- fetch time for a 500-item RSS feed from a local server: first fetch (parse + merge) and
  the conditional refetch (304).
Results go to bench/sources.json with machine info and a Markdown table is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def gen_bib(path: Path, n: int) -> None:
    with open(path, "w") as fh:
        fh.write('@string{nips = "Advances in Neural Information Processing Systems"}\n')
        for i in range(n):
            fh.write(f"@inproceedings{{k{i},\n  title = {{G{{\\\"o}}del Study {i} of {{BERT}} -- Part {i % 7}}},\n"
                     f"  author = {{van der Waals, Johannes and Steele, Jr., Guy L. and Ashish Vaswani{i}}},\n"
                     f"  booktitle = nips # \" {i % 30}\",\n  year = {{{2000 + i % 25}}}, month = jun, pages = {{{i}--{i + 9}}},\n"
                     f"  eprint = {{{2401 + i % 9}.{i:05d}}}, archivePrefix = {{arXiv}}, primaryClass = {{cs.CL}},\n"
                     f"  doi = {{10.5555/bench.{i}}}\n}}\n\n")


def gen_snapshot(path: Path, n: int) -> None:
    with open(path, "w") as fh:
        for i in range(n):
            fh.write(json.dumps({
                "id": f"{1001 + i % 1200:04d}.{i:05d}", "submitter": "A", "authors": "C. Bal\\'azs, E. L. Berger",
                "title": f"Calculation of prompt diphoton production number {i}\n  at Tevatron", "comments": "37 pages",
                "journal-ref": None, "doi": None, "categories": ("cs.CL cs.LG" if i % 10 == 0 else "hep-ph"),
                "abstract": "  A fully differential calculation in perturbative quantum chromodynamics is\npresented. " * 3,
                "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}], "update_date": "2008-11-13",
                "authors_parsed": [["Balázs", "C.", ""], ["Berger", "E. L.", ""]]}) + "\n")


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=20000)
    args = ap.parse_args()
    n = args.entries
    tmp = Path(tempfile.mkdtemp(prefix="reader-bench-sources-"))
    os.environ["READER_DATA_DIR"] = str(tmp / "data")
    os.environ["READER_CONFIG_DIR"] = str(tmp / "config")
    from reader.parsers import iter_file, parse_file
    from reader.paths import default_paths
    from reader.storage.store import Store

    rows = []
    bib = tmp / "refs.bib"
    gen_bib(bib, n)
    papers, t_parse = timed(lambda: parse_file(bib))
    store = Store(default_paths())
    _, t_store = timed(lambda: store.import_papers(papers))
    rows.append(("BibTeX parse", f"{len(papers) / t_parse:,.0f} entries/s", f"{n:,} entries, {bib.stat().st_size / 2**20:.1f} MiB"))
    rows.append(("BibTeX merge into library", f"{len(papers) / t_store:,.0f} entries/s", "empty library"))

    snap = tmp / "snapshot.jsonl"
    gen_snapshot(snap, n * 5)
    size = snap.stat().st_size / 2**20
    count, t_all = timed(lambda: sum(len(b) for b in iter_file(snap)))
    rows.append(("snapshot parse (all)", f"{count / t_all:,.0f} lines/s", f"{n * 5:,} lines, {size:.0f} MiB"))
    count_f, t_f = timed(lambda: sum(len(b) for b in iter_file(snap, {"cs.CL"})))
    rows.append(("snapshot parse (--category cs.CL)", f"{n * 5 / t_f:,.0f} lines/s", f"{count_f:,} kept"))
    tracemalloc.start()
    sum(len(b) for b in iter_file(snap))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rows.append(("snapshot parse peak memory", f"{peak / 2**20:.1f} MiB", "traced, batches of 5,000"))
    store2 = Store(default_paths())
    from reader.sources.files import import_file

    done, t_imp = timed(lambda: import_file(store2, snap, {"cs.CL"}))
    rows.append(("snapshot import --category cs.CL", f"{n * 5 / t_imp:,.0f} lines/s", f"{done.result.new:,} new papers stored"))

    sys.path.insert(0, str(HERE.parent))
    from reader.sources.fetch import Fetcher, FetchState, make_client
    from tests.feedserver import FeedServer

    with FeedServer() as srv:
        store3 = Store(default_paths())
        fetcher = Fetcher(make_client(), FetchState(tmp / "sources.json"), store3.import_papers)
        (r,), t_first = timed(lambda: fetcher.run([srv.url + "/feeds/big500.xml"]))
        (r2,), t_again = timed(lambda: fetcher.run([srv.url + "/feeds/big500.xml"]))
        assert r.read == 500 and r2.unchanged, (r.line(), r2.line())
    rows.append(("fetch a 500-item RSS feed", f"{t_first * 1000:,.0f} ms", f"{r.new} new (download, parse, merge)"))
    rows.append(("fetch it again (304)", f"{t_again * 1000:,.0f} ms", "conditional request"))

    print("| measurement | result | notes |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    info = {"python": sys.version.split()[0], "machine": platform.machine(), "cpus": os.cpu_count(), "entries": n}
    (HERE / "sources.json").write_text(json.dumps({"machine": info, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
