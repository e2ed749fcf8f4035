"""`reader fetch` against a local server: Hugging Face daily, paged arXiv listings, RSS/Atom
feeds with ETags, broken answers; one line per source, failures change nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.resolve.http import HttpClient
from reader.sources.feeds import BadFeed, parse_feed
from reader.sources.fetch import Fetcher, FetchState, SourceResult, make_client, parse_spec
from reader.state import Change
from reader.storage.store import Store

from .feedserver import ATOM_FEED, BAD_UTF8, BOMB, LATIN1, RSS091, RSS1, RSS2, FeedServer

GOOD = ["/feeds/rss2.xml", "/feeds/rss1.xml", "/feeds/atom.xml", "/feeds/rss091.xml"]
BROKEN = {
    "/broken/html": "not an RSS or Atom feed (an HTML page)",
    "/broken/truncated": "the feed is cut short",
    "/broken/short": "the feed is cut short",
    "/broken/big": "larger than 8 MiB",
    "/broken/bomb": "refused: the feed declares XML entities",
    "/broken/429": "HTTP 429",
    "/broken/json": "not an RSS or Atom feed",
    "/nope": "HTTP 404",
}


@pytest.fixture
def server(monkeypatch, paths):
    with FeedServer() as srv:
        monkeypatch.setenv("READER_HF_API", srv.url + "/hf")
        monkeypatch.setenv("READER_ARXIV_API", srv.url + "/arxiv")
        monkeypatch.setenv("READER_ARXIV_INTERVAL", "0")  # the 3 s spacing is checked with a fake clock below
        yield srv


class FakeTime:
    def __init__(self):
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.slept.append(s)
        self.now += s


def fetcher(paths, store, fake: FakeTime | None = None, **kw) -> Fetcher:
    client = make_client()
    if fake:
        client.clock, client.sleep = fake.clock, fake.sleep
        client.min_interval = {h: 3.0 for h in client.min_interval}
    return Fetcher(client, FetchState(paths.data_dir / "sources.json"), store.import_papers, **kw)


def test_fetch_every_kind_of_source_one_line_each(server, paths, capsys):
    specs = ["hf:daily:2024-05-01", "arxiv:cs.CL", *[server.url + p for p in GOOD]]
    assert main(["fetch", "--first", "10", *specs]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "hf:daily:2024-05-01: 2 papers, 2 new, 0 already in the library",
        "arxiv:cs.CL: 10 papers, 10 new, 0 already in the library",
        f"{server.url}/feeds/rss2.xml: 3 papers, 3 new, 0 already in the library",
        f"{server.url}/feeds/rss1.xml: 1 paper, 1 new, 0 already in the library",
        f"{server.url}/feeds/atom.xml: 1 paper, 1 new, 0 already in the library",
        f"{server.url}/feeds/rss091.xml: 1 paper, 1 new, 0 already in the library",
    ]
    got = {p.title: p for p in Store(paths).papers()}
    kan = got["KAN: Kolmogorov-Arnold Networks"]
    assert (kan.arxiv_id, kan.upvotes, kan.comments, kan.published, kan.authors) == ("2404.19756", 42, 7, "2024-04-30", ["Ziming Liu", "Max Tegmark"])
    gnn = got["Graph Neural Networks [Re] Revisited"]  # HTML reduced to text, brackets kept
    assert gnn.authors == ["Ada Lovelace", "van der Waals, Johannes"]
    assert gnn.abstract == "We revisit GNNs.\nSecond paragraph & more."
    assert (gnn.doi, gnn.journal, gnn.volume, gnn.issue, gnn.pages, gnn.published) == (
        "10.5555/JEX.2024.001", "Journal of Examples", "12", "3", "101-120", "2024-01-02")
    assert gnn.entry_type == "article-journal"
    assert got["Attention Is All You Need"].arxiv_id == "1706.03762"  # from the abs link
    assert got["A DOI Link Item"].doi == "10.5555/jex.2024.002"
    bio = got["Protein Folding in the Wild"]
    assert (bio.doi, bio.authors, bio.entry_type) == ("10.1101/2024.03.04.000001", ["Smith, J.", "Doe, A."], "")  # bioRxiv: a preprint
    sae = got["Sparse Autoencoders Find Features"]
    assert (sae.arxiv_id, sae.authors, sae.abstract) == ("2501.00004", ["Grace Hopper", "Alan Turing"], "Features.")


def test_fetching_again_adds_nothing_and_feeds_cost_a_304(server, paths, capsys):
    specs = ["hf:daily:2024-05-01", "arxiv:cs.CL", *[server.url + p for p in GOOD]]
    assert main(["fetch", *specs]) == 0
    first = len(Store(paths).papers())
    server.log.clear()
    assert main(["fetch", *specs]) == 0
    out = capsys.readouterr().out.splitlines()[len(specs):]
    assert len(Store(paths).papers()) == first
    assert out[0] == "hf:daily:2024-05-01: 2 papers, 0 new, 2 already in the library"
    assert out[1] == "arxiv:cs.CL: 0 papers, 0 new, 0 already in the library"
    assert out[2:] == [f"{server.url}{p}: unchanged since the last fetch" for p in GOOD]
    feeds = [entry for entry in server.log if entry[0].startswith("/feeds/")]
    assert [code for *_, code in feeds] == [304] * 4
    assert all("If-None-Match" in headers and "If-Modified-Since" in headers for _, _, headers, _ in feeds)


def test_changed_feed_is_fetched_again(server, paths, capsys):
    url = server.url + "/feeds/rss2.xml"
    assert main(["fetch", url]) == 0
    server.feed_override["/feeds/rss2.xml"] = RSS2.replace("A DOI Link Item</title><link>https://doi.org/10.5555/jex.2024.002", "A Brand New Item</title><link>https://journal.example/new")
    assert main(["fetch", url]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"{url}: 3 papers, 1 new, 2 already in the library"


def test_arxiv_listing_pages_stops_at_the_newest_seen_and_spaces_requests(server, paths):
    store = Store(paths)
    fake = FakeTime()
    (r,) = fetcher(paths, store, fake, first=10, page=4).run(["arxiv:cs.CL"])
    assert (r.read, r.new) == (10, 10)
    queries = [q for path, q, _, _ in server.log if path == "/arxiv/query"]
    assert [q.split("&start=")[1] for q in queries] == ["0&max_results=4", "4&max_results=4", "8&max_results=2"]
    assert "search_query=cat:cs.CL&sortBy=submittedDate&sortOrder=descending" in queries[0]
    assert sum(fake.slept) >= 6.0 - 1e-6  # 3 s between each of the three arXiv requests
    assert FetchState(paths.data_dir / "sources.json").source("arxiv:cs.CL")["newest"] == "2501.00025"
    # three new submissions: the next fetch takes exactly those, over two pages
    server.listing[:0] = [(f"2502.{n:05d}", {"title": f"Newer {n}", "authors": ["N"], "date": "2025-02-01", "cat": "cs.CL"}) for n in (3, 2, 1)]
    server.log.clear()
    (r,) = fetcher(paths, store, fake, first=10, page=2).run(["arxiv:cs.CL"])
    assert (r.read, r.new) == (3, 3)
    assert len([x for x in server.log if x[0] == "/arxiv/query"]) == 2
    assert FetchState(paths.data_dir / "sources.json").source("arxiv:cs.CL")["newest"] == "2502.00003"


def test_saved_arxiv_search(server, paths, capsys):
    assert main(["fetch", "--first", "3", "arxiv-query:au:someone AND ti:paper"]) == 0
    assert capsys.readouterr().out.strip() == "arxiv-query:au:someone AND ti:paper: 3 papers, 3 new, 0 already in the library"
    (query,) = [q for path, q, _, _ in server.log if path == "/arxiv/query"]
    assert query.startswith("search_query=au:someone%20AND%20ti:paper&")


def test_failing_sources_one_line_each_change_nothing_and_exit_1(server, paths, capsys, monkeypatch):
    monkeypatch.setenv("READER_FETCH_RETRIES", "0")  # 429 retries wait Retry-After: checked with a fake clock below
    specs = [server.url + p for p in BROKEN] + ["bogus:x", "hf:daily:2024-13-45", server.url + "/feeds/atom.xml"]
    assert main(["fetch", *specs]) == 1
    out, err = capsys.readouterr()
    errs = err.splitlines()
    assert len(errs) == len(BROKEN) + 2
    for line, (path, reason) in zip(errs, BROKEN.items(), strict=False):
        assert line.startswith(f"{server.url}{path}: failed: ") and reason in line
    assert errs[-2].startswith("bogus:x: failed: bogus:x: unknown source")
    assert "not a date" in errs[-1]
    assert out.strip() == f"{server.url}/feeds/atom.xml: 1 paper, 1 new, 0 already in the library"
    assert [p.title for p in Store(paths).papers()] == ["Sparse Autoencoders Find Features"]
    state = json.loads((paths.data_dir / "sources.json").read_text())
    assert list(state["sources"]) == [server.url + "/feeds/atom.xml"]


def test_a_feed_that_is_not_valid_utf8_imports_with_the_bad_bytes_replaced_and_says_so(server, paths, capsys):
    """A trial found a feed declared UTF-8 with bytes that are not read as Latin-1 without a
    word ("Bad \u00ff\u00fe bytes paper"). A feed declared Latin-1 (in its XML declaration or
    its HTTP Content-Type) is still read as Latin-1."""
    bad, latin, header = (server.url + p for p in ("/feeds/badutf8.xml", "/feeds/latin1.xml", "/feeds/latin1-header.xml"))
    assert main(["fetch", bad, latin, header]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{bad}: 2 papers, 2 new, 0 already in the library",
                                f"{latin}: 1 paper, 1 new, 0 already in the library",
                                f"{header}: 1 paper, 1 new, 0 already in the library"]
    at = BAD_UTF8.index(b"\xff")
    assert err.splitlines() == [f"reader: {bad}: not valid UTF-8 at byte {at} (0xff); bad bytes replaced"]
    titles = sorted(p.title for p in Store(paths).papers())
    assert titles == ["Bad \ufffd\ufffd bytes paper", "Caf\u00e9 by its HTTP charset", "Caf\u00e9 latin feed paper", "Good caf\u00e9 paper"]


FEED_FILES = {"rss2.xml": (RSS2, 3), "rss1.xml": (RSS1, 1), "atom.xml": (ATOM_FEED, 1), "rss091.xml": (RSS091, 1),
              "latin1.xml": (LATIN1, 1), "badutf8.xml": (BAD_UTF8, 2)}


def write_feeds(folder, feeds: dict) -> list[str]:
    for name, body in feeds.items():
        (folder / name).write_bytes(body if isinstance(body, bytes) else body.encode())
    return [str(folder / name) for name in feeds]


def test_feeds_saved_as_files_import_as_fetched_ones_do(paths, tmp_path, capsys):
    """A trial found `reader import feed.xml` refused as "not a recognised format"."""
    files = write_feeds(tmp_path, {name: body for name, (body, _) in FEED_FILES.items()})
    assert main(["import", *files]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{name}: {n} paper{'' if n == 1 else 's'} read, {n} new, 0 already in the library"
                                for name, (_, n) in FEED_FILES.items()]
    at = BAD_UTF8.index(b"\xff")
    assert err.splitlines() == [f"reader: {tmp_path / 'badutf8.xml'}: not valid UTF-8 at byte {at} (0xff); bad bytes replaced"]
    got = {p.title: p for p in Store(paths).papers()}
    gnn = got["Graph Neural Networks [Re] Revisited"]  # the feed parser's fields, as fetched
    assert (gnn.doi, gnn.authors, gnn.abstract, gnn.journal) == (
        "10.5555/JEX.2024.001", ["Ada Lovelace", "van der Waals, Johannes"], "We revisit GNNs.\nSecond paragraph & more.", "Journal of Examples")
    assert got["Sparse Autoencoders Find Features"].arxiv_id == "2501.00004"
    assert got["Protein Folding in the Wild"].doi == "10.1101/2024.03.04.000001"
    assert {"Caf\u00e9 latin feed paper", "Bad \ufffd\ufffd bytes paper", "An Old-Style Feed Item"} <= set(got)
    assert main(["import", *files]) == 0  # again: nothing new
    assert capsys.readouterr().out.splitlines() == [
        f"{name}: {n} paper{'' if n == 1 else 's'} read, 0 new, {n} already in the library" for name, (_, n) in FEED_FILES.items()]


def test_a_broken_or_hostile_feed_file_is_one_line_and_imports_nothing(paths, tmp_path, capsys):
    broken, bomb, good = write_feeds(tmp_path, {"broken.xml": RSS2[: len(RSS2) // 2], "entity.xml": BOMB, "good.xml": ATOM_FEED})
    assert main(["import", broken, bomb, good]) == 2
    out, err = capsys.readouterr()
    errs = err.splitlines()
    assert len(errs) == 2
    assert errs[0].startswith(f"reader: {broken}: the feed is cut short")
    assert errs[1].startswith(f"reader: {bomb}: refused: the feed declares XML entities")
    assert out.splitlines() == ["good.xml: 1 paper read, 1 new, 0 already in the library"]
    assert [p.title for p in Store(paths).papers()] == ["Sparse Autoencoders Find Features"]


def test_recognising_a_feed_takes_linear_time():
    """Comments, declarations and a DOCTYPE before the root are skipped without backtracking:
    a first version took exponential time on a page of comments (7 s for 24 of them)."""
    import time

    from reader.sources.detect import sniff

    for head, fmt in (("<!-- x -->" * 24 + "<html>", "unknown"), ("<!-- x -->" * 3000 + "<html>", "unknown"), ("<?a?>" * 3000 + "<!-- y -->" * 3000 + "<rss>", "feed"),
                      ('<!DOCTYPE x [<!ENTITY a "b">]>' * 2000 + "<feed>", "feed"), (" " * 60000 + "<x>", "unknown")):
        start = time.perf_counter()
        assert sniff(head) == fmt
        assert time.perf_counter() - start < 0.5
    start = time.perf_counter()  # pasted or piped text: its declaration's encoding is dropped in linear time too
    assert parse_feed('<?xml version="1.0"' + " " * 30000 + '?><rss version="2.0"><channel></channel></rss>') == []
    assert time.perf_counter() - start < 0.5


def test_fetch_reads_a_feed_saved_as_a_file(paths, tmp_path, capsys):
    good, broken = write_feeds(tmp_path, {"lab feed.xml": ATOM_FEED, "broken.xml": RSS2[:300]})
    urls = [Path(good).as_uri(), Path(broken).as_uri(), (tmp_path / "missing.xml").as_uri()]
    assert "%20" in urls[0]
    assert main(["fetch", *urls]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{urls[0]}: 1 paper, 1 new, 0 already in the library"]
    errs = err.splitlines()
    assert errs[0].startswith(f"{urls[1]}: failed: the feed is cut short")
    assert errs[1] == f"{urls[2]}: failed: No such file or directory"
    assert [p.title for p in Store(paths).papers()] == ["Sparse Autoencoders Find Features"]


def test_a_feed_on_standard_input_is_read_in_its_declared_encoding(paths):
    from .test_cli import _reader

    out = _reader(["import", "-"], paths, input=LATIN1)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode() == "<stdin>: 1 paper read, 1 new, 0 already in the library\n"
    assert [p.title for p in Store(paths).papers()] == ["Caf\u00e9 latin feed paper"]


def test_retry_after_is_honoured(server, paths):
    fake = FakeTime()
    client = HttpClient(retries=2, clock=fake.clock, sleep=fake.sleep)
    (r,) = Fetcher(client, FetchState(paths.data_dir / "s.json"), Store(paths).import_papers).run([server.url + "/broken/429"])
    assert "HTTP 429" in r.error
    assert sum(fake.slept) >= 9.9 and len([x for x in server.log if x[0] == "/broken/429"]) == 3


def test_offline_source_fails_cleanly(paths, monkeypatch):
    monkeypatch.setenv("READER_ARXIV_INTERVAL", "0")
    (r,) = fetcher(paths, Store(paths)).run(["http://127.0.0.1:9/feed.xml"])
    assert r.error.startswith("cannot reach 127.0.0.1:9")


def test_title_only_paper_merges_with_its_fetched_twin(server, paths):
    from reader.parsers import parse_text

    store = Store(paths)
    store.import_papers(parse_text("KAN: Kolmogorov-Arnold Networks\n\n" + "Inspired by a theorem, we propose networks. " * 6 + "\n"))
    (page,) = store.papers()
    store.apply([Change(page.key, "later", "2024-05-01T00:00:00+00:00"), Change(page.key, "tags", ["kan"])])
    (r,) = fetcher(paths, store).run(["hf:daily:2024-05-01"])
    assert (r.new, r.existing) == (1, 1)
    merged = next(p for p in store.papers() if p.key == page.key)
    assert (merged.arxiv_id, merged.authors, merged.published) == ("2404.19756", ["Ziming Liu", "Max Tegmark"], "2024-04-30")
    assert store.states()[page.key].tags == ["kan"] and store.states()[page.key].later
    state = FetchState(paths.data_dir / "sources.json")
    assert state.last_new() == ["2404.19752"]
    fetcher(paths, store).run(["hf:daily:2024-05-01", "http://127.0.0.1:9/offline.xml"])  # nothing new, one failure
    assert state.last_new() == ["2404.19752"]  # the New list is kept
    fetcher(paths, store).run([server.url + "/feeds/atom.xml"])
    assert state.last_new() == ["2404.19752", "2501.00004"]


def test_config_sources_and_their_errors(server, paths, capsys):
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    assert main(["fetch"]) == 2
    assert "no sources to fetch" in capsys.readouterr().err
    paths.config.write_text(f'sources = ["hf:daily:2024-05-01", "{server.url}/feeds/atom.xml"]\narxiv_first = 5\n')
    assert main(["fetch"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    paths.config.write_text('sources = "hf:daily"\n')
    assert main(["fetch", "hf:daily:2024-05-01"]) == 0
    assert "sources must be a list of strings" in capsys.readouterr().err


def test_corrupt_state_file_is_kept_aside(server, paths):
    paths.data_dir.mkdir(parents=True)
    (paths.data_dir / "sources.json").write_text("{broken")
    (r,) = fetcher(paths, Store(paths)).run([server.url + "/feeds/atom.xml"])
    assert r.new == 1
    assert len(list(paths.data_dir.glob("sources.json.corrupt-*"))) == 1
    assert json.loads((paths.data_dir / "sources.json").read_text())["sources"]


def test_specs():
    assert parse_spec("arxiv:cs.CL") == ("arxiv", "cat:cs.CL")
    assert parse_spec("arxiv-query:ti:x") == ("arxiv", "ti:x")
    assert parse_spec("hf:daily:2024-05-01") == ("hf", "2024-05-01")
    assert parse_spec("hf:daily")[0] == "hf"
    assert parse_spec("file:///home/me/feed%201.xml") == ("file", "/home/me/feed 1.xml")
    assert parse_spec("file://localhost/f.xml") == ("file", "/f.xml")
    for bad in ("arxiv:", "arxiv:cs CL", "ftp://x", "hf:daily:yesterday", "https://", "file://elsewhere/f.xml", "file://"):
        with pytest.raises(ValueError):
            parse_spec(bad)
    assert SourceResult("x", error="boom").line() == "x: failed: boom"


def test_hostile_feed_bodies():
    with pytest.raises(BadFeed, match="entities"):
        parse_feed(BOMB.encode())
    with pytest.raises(BadFeed, match="not an RSS or Atom feed"):
        parse_feed(b"")
    for encoding in ("bogus", "utf-32"):  # expat cannot read them: one line, not a LookupError/ValueError escaping
        with pytest.raises(BadFeed, match="encoding"):
            parse_feed(f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel></channel></rss>'.encode())
    # an undeclared HTML entity is a common fault that feedparser's lenient parser reads
    papers = parse_feed(RSS2.replace("Second paragraph", "Second&nbsp;paragraph").encode())
    assert len(papers) == 3


_feed_bits = st.sampled_from(['<?xml version="1.0"?>', "<rss version=\"2.0\">", "</rss>", "<channel>", "</channel>", "<item>", "</item>",
                              "<title>", "</title>", "<link>", "</link>", "https://arxiv.org/abs/2401.00001", "doi:10.1/x",
                              "<guid>", "</guid>", "<feed xmlns=\"http://www.w3.org/2005/Atom\">", "</feed>", "<entry>", "</entry>",
                              "&amp;", "&lt;b&gt;", "<!DOCTYPE x [<!ENTITY a \"b\">]>", "&a;", "<description>", "</description>"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_feed_bits | st.text(max_size=4), max_size=40).map("".join))
def test_fuzz_feeds(text):
    try:
        papers = parse_feed(text.encode())
    except BadFeed as exc:
        assert "\n" not in str(exc)
        return
    assert all(p.title and p.key for p in papers)
