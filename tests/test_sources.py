"""Bibliography files and the arXiv snapshot: recognised by content, every field and name
form kept, unreadable entries reported with their line while the rest imports, the
snapshot streamed in bounded memory, one paper per work."""

from __future__ import annotations

import io
import json
import sys
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.model import Paper
from reader.parsers import InputError, iter_file, parse_file, parse_text
from reader.sources.bibtex import parse_bibtex
from reader.sources.csljson import CslError, parse_csl_json
from reader.sources.detect import NOT_SNAPSHOT, sniff
from reader.sources.names import format_name
from reader.sources.ris import parse_ris
from reader.sources.snapshot import iter_snapshot
from reader.sources.tex import decode_tex
from reader.state import Change
from reader.storage.store import Store

from .conftest import FIXTURES, SAMPLE

SRC = FIXTURES / "sources"


def by_title(papers) -> dict[str, Paper]:
    return {p.title: p for p in papers}


def test_bibtex_macros_accents_names_and_published_fields():
    papers = parse_file(SRC / "refs.bib")
    got = by_title(papers)
    att = got["Attention Is All You Need"]
    assert (att.arxiv_id, att.arxiv_version, att.primary_category) == ("1706.03762", "v7", "cs.CL")
    assert att.journal == "Advances in Neural Information Processing Systems 30"  # @string # "..." concatenation
    assert (att.entry_type, att.volume, att.pages, att.journal_date) == ("paper-conference", "30", "5998-6008", "2017-12")
    assert att.authors == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    godel = got["Über formal unentscheidbare Sätze der Principia Mathematica"]
    assert godel.authors == ["Kurt Gödel"] and godel.journal == "Monatshefte für Mathematik und Physik"
    assert (godel.doi, godel.volume, godel.issue, godel.publisher, godel.year) == ("10.1007/BF01700692", "38", "1", "Springer", "1931")
    waals = got["On the Continuity of the Gaseous and Liquid States"]
    assert waals.authors == ["van der Waals, Johannes Diderik", "Steele, Jr., Guy L.", "{World Health Organization}", "de la Cruz, José"]
    assert waals.published == "1873-06-15" and waals.doi == "10.1038/NATURE_00001"
    pre = got["Some Preprint with $O(n \\log n)$ Cost"]  # math kept as written
    assert (pre.arxiv_id, pre.entry_type, pre.journal) == ("2401.01234", "", "")  # "arXiv preprint" is no venue
    assert got["The TeXbook"].entry_type == "book"
    assert papers.problems == ["line 45: entry 'notitle' has no title, skipped",
                               "line 50: @article cannot be read (unbalanced braces or quotes), skipped"]


def test_csl_json_names_dates_and_arxiv_number():
    papers = parse_file(SRC / "zotero.json")
    got = by_title(papers)
    waals = got["On the Continuity of the Gaseous and Liquid States"]
    assert waals.authors == ["van der Waals, Johannes Diderik", "Steele, Jr., Guy L.", "{World Health Organization}", "Ashish Vaswani"]
    assert (waals.entry_type, waals.journal, waals.volume, waals.issue, waals.pages) == ("article-journal", "Nature", "12", "3", "100-110")
    assert (waals.published, waals.doi) == ("1873-06-15", "10.1038/nature.00002")
    att = got["Attention Is All You Need"]
    assert (att.arxiv_id, att.entry_type, att.publisher, att.published) == ("1706.03762", "", "", "2017-06-12")
    assert got["Deep Residual Learning for Image Recognition"].pages == "770-778"
    assert papers.problems == ["line 30: item 3 has no title, skipped", "line 31: item 4 is not an object, skipped"]


def test_ris_records_repeated_authors_and_continuations():
    papers = parse_file(SRC / "refs.ris")
    got = by_title(papers)
    att = got["Attention Is All You Need"]
    assert att.authors == ["Ashish Vaswani", "Noam Shazeer", "Steele, Jr., Guy L."]
    assert (att.arxiv_id, att.journal, att.published, att.entry_type) == ("1706.03762", "Advances in Neural Information Processing Systems", "2017-12-04", "paper-conference")
    assert att.abstract.endswith("recurrent or convolutional neural networks.")
    godel = got["Über formal unentscheidbare Sätze der Principia Mathematica"]
    assert (godel.doi, godel.pages, godel.journal) == ("10.1007/bf01700692", "173-198", "Monatshefte für Mathematik und Physik")
    assert got["A Report Without an End Record"].authors == ["de la Cruz, José"]
    assert papers.problems == ["line 25: record has no title (TI), skipped"]


def test_snapshot_fields_and_bad_lines():
    papers = parse_file(SRC / "snapshot.jsonl")
    got = {p.arxiv_id: p for p in papers}
    p = got["0704.0001"]
    assert p.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert p.authors[:2] == ["C. Balázs", "E. L. Berger"]
    assert (p.published, p.updated, p.arxiv_version, p.primary_category) == ("2007-04-02", "2008-11-13", "v2", "hep-ph")
    assert (p.doi, p.journal_ref) == ("10.1103/PhysRevD.76.013009", "Phys.Rev.D76:013009,2007")
    assert got["2101.00003"].authors == ["Steele, Jr., Guy", "van der Waals, Johannes"]
    assert "math/0211159" in got
    assert [x.split(":")[0] for x in papers.problems] == ["line 4", "line 5", "line 6"]


def test_snapshot_category_filter(tmp_path):
    got = [p.arxiv_id for batch in iter_file(SRC / "snapshot.jsonl", {"cs.CL"}) for p in batch]
    assert got == ["1706.03762"]
    got = [p.arxiv_id for batch in iter_file(SRC / "snapshot.jsonl", {"cs", "math.DG"}) for p in batch]
    assert got == ["1706.03762", "math/0211159", "2101.00003"]


def _snapshot(path, n: int) -> None:
    with open(path, "w") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"2401.{i:05d}", "title": f"Paper {i} on things", "authors": "A. B",
                                 "abstract": "x " * 200, "categories": "cs.CL" if i % 2 else "hep-th",
                                 "versions": [{"version": "v1", "created": "Mon, 1 Jan 2024 00:00:00 GMT"}],
                                 "authors_parsed": [["B", "A.", ""]], "update_date": "2024-01-02"}) + "\n")


def _peak(path) -> tuple[int, int]:
    tracemalloc.start()
    n = 0
    with open(path, "rb") as fh:
        for batch in iter_snapshot(fh, batch=500):
            n += len(batch)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return n, peak


def test_snapshot_memory_does_not_grow_with_the_input(tmp_path):
    small, large = tmp_path / "s.jsonl", tmp_path / "l.jsonl"
    _snapshot(small, 2_000)
    _snapshot(large, 20_000)
    n_small, peak_small = _peak(small)
    n_large, peak_large = _peak(large)
    assert (n_small, n_large) == (2_000, 20_000)
    assert peak_large < peak_small * 1.5, (peak_small, peak_large)


def test_minified_csl_json_and_latin1_bibtex(tmp_path):
    items = json.loads((SRC / "zotero.json").read_text())
    big = tmp_path / "min.json"
    big.write_text(json.dumps(items * 1500))  # one line of about 2 MiB
    assert len(parse_file(big)) == 3 * 1500
    latin = tmp_path / "latin.bib"
    latin.write_bytes("@misc{k, title={Caf\u00e9 Study}, author={M\u00fcller, J\u00fcrgen}}\n".encode("cp1252"))
    (p,) = parse_file(latin)
    assert (p.title, p.authors) == ("Café Study", ["Jürgen Müller"])


def test_snapshot_progress_reports_bytes(tmp_path):
    from reader.sources.files import import_file

    path = tmp_path / "snap.jsonl"
    _snapshot(path, 12_000)
    seen = []
    done = import_file(Store(paths_for(tmp_path)), path, progress=lambda d, t: seen.append((d, t)))
    assert done.read == 12_000 and len(seen) >= 3
    assert seen[-1] == (path.stat().st_size, path.stat().st_size) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def paths_for(tmp_path):
    from reader.paths import Paths

    return Paths(tmp_path / "data", tmp_path / "config")


def test_snapshot_overlong_line_is_skipped_not_held(tmp_path):
    path = tmp_path / "snap.jsonl"
    good = (SRC / "snapshot.jsonl").read_text().splitlines()[1]
    path.write_text(good + "\n" + '{"id": "2401.00009", "title": "' + "x" * (2 * 2**20) + '"}\n' + good.replace("1706.03762", "1706.03763") + "\n")
    papers = parse_file(path)
    assert [p.arxiv_id for p in papers] == ["1706.03762", "1706.03763"]
    assert papers.problems == ["line 2: longer than 1 MiB, skipped"]


class _Stdin(io.BytesIO):
    """Standard input that records how far it has been read."""

    def read(self, n=-1):
        data = super().read(n)
        self.furthest = self.tell()
        return data

    read1 = read


def _stdin(monkeypatch, data: bytes) -> _Stdin:
    raw = _Stdin(data)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(raw))
    return raw


def test_a_snapshot_on_standard_input_is_read_as_from_a_file(tmp_path, monkeypatch):
    path = tmp_path / "snap.jsonl"
    good = (SRC / "snapshot.jsonl").read_text().splitlines()[1]
    path.write_text(good + "\n" + '{"id": "2401.00009", "title": "' + "x" * (2 * 2**20) + '"}\n'
                    + (SRC / "snapshot.jsonl").read_text())
    for categories in (None, {"cs.CL"}, {"cs", "math.DG"}):
        want = [(p.arxiv_id, p.source_file) for batch in iter_file(path, categories) for p in batch]
        _stdin(monkeypatch, path.read_bytes())
        batches = list(iter_file("-", categories))
        assert [(p.arxiv_id, p.source_file.replace("stdin", path.name)) for b in batches for p in b] == want
        assert batches[0].problems[0] == "line 2: longer than 1 MiB, skipped"  # not the whole input refused


def test_cli_imports_a_snapshot_on_standard_input_with_its_categories(paths, monkeypatch, capsys):
    _stdin(monkeypatch, (SRC / "snapshot.jsonl").read_bytes())
    assert main(["import", "--category", "cs.CL", "-"]) == 0
    assert capsys.readouterr().out == "<stdin>: 1 paper read, 1 new, 0 already in the library\n"


def test_a_snapshot_on_standard_input_is_streamed_not_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "big.jsonl"
    _snapshot(path, 6_000)  # more than one batch of 5,000
    raw = _stdin(monkeypatch, path.read_bytes())
    batches = iter_file("-")
    assert len(next(batches)) == 5_000
    assert raw.furthest < path.stat().st_size * 0.9
    assert len(next(batches)) == 1_000


def test_a_snapshot_with_a_broken_first_line_skips_that_line(tmp_path, monkeypatch):
    path = tmp_path / "part.ab"
    _snapshot(path, 40)
    rest = path.read_bytes()[7000:]  # the second piece of `split -b`: starts mid-line
    path.write_bytes(rest)
    want = [json.loads(line)["id"] for line in rest.split(b"\n", 1)[1].splitlines()]
    papers = parse_file(path)
    assert [p.arxiv_id for p in papers] == want
    assert len(papers.problems) == 1 and papers.problems[0].startswith("line 1: not valid JSON")
    _stdin(monkeypatch, rest)
    assert [p.arxiv_id for p in parse_file("-")] == want


def test_json_lines_that_are_not_the_snapshot_are_not_called_a_page(tmp_path):
    path = tmp_path / "other.jsonl"
    for text in ('{"name": "a"}\n{"name": "b"}\n', '{not json\n{"name": "a"}\n{"name": "b"}\n'):
        path.write_text(text)
        with pytest.raises(InputError) as exc:
            parse_file(path)
        assert str(exc.value) == f"{path}: JSON lines, but not the arXiv metadata snapshot (none of its first lines is an arXiv record)"


def test_json_nested_too_deeply_is_one_line_naming_the_file(tmp_path):
    deep = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    path = tmp_path / "deep.json"
    for text, problem in ((deep * 2, "input too deeply nested to parse"), ('{"a": 1}\n' + deep, NOT_SNAPSHOT)):
        path.write_text(text)
        with pytest.raises(InputError) as exc:
            parse_file(path)
        assert str(exc.value) == f"{path}: {problem}"


@pytest.mark.parametrize(("text", "fmt"), [
    ("% Encoding: UTF-8\n\n@Article{x, title={T}}\n", "bibtex"),
    ("\ufeff[\n  {\"type\": \"book\", \"title\": \"T\"}\n]", "csl-json"),
    ("TY  - JOUR\nTI  - T\nER  - \n", "ris"),
    ('{"id": "2401.00001", "title": "T", "categories": "cs.CL"}\n', "arxiv-snapshot"),
    ('t": "cut", "categories": "cs.CL"}\n\n{"id": "2401.00001", "title": "T", "categories": "cs.CL"}\n', "arxiv-snapshot"),
    ('{"id": "x", "type": "book", "title": "T"}\n', "csl-json"),
    ('[\n{"id": "x", "title": "T"},\n{"id": "y", "title": "U"}\n]\n', "csl-json"),
    ("[CLS] Tokens are all you need\n\nAbstract.", ""),
    ("2401.00001\n2401.00002\n", ""),
])
def test_formats_are_recognised_by_content(text, fmt):
    assert sniff(text) == fmt


def test_extension_does_not_matter_and_unknown_formats_are_refused(tmp_path):
    disguised = tmp_path / "notes.txt"
    disguised.write_text((SRC / "refs.ris").read_text())
    assert len(parse_file(disguised)) == 3
    xml = tmp_path / "thing.xml"
    xml.write_text("<?xml version='1.0'?>\n<root><child/></root>\n")
    with pytest.raises(InputError, match=r"thing.xml: no papers found \(not a recognised format: expected BibTeX, CSL-JSON"):
        parse_file(xml)
    truncated = tmp_path / "cut.json"
    text = (SRC / "zotero.json").read_text()
    truncated.write_text(text[: text.index('"Attention') + 20])
    papers = parse_file(truncated)  # the items before the cut still import
    assert len(papers) == 1 and "not valid JSON" in papers.problems[0]


def test_hostile_bibtex_macro_doubling_and_deep_braces():
    bomb = '@string{a0 = "xxxxxxxxxx"}\n' + "".join(f"@string{{a{i + 1} = a{i} # a{i}}}\n" for i in range(40))
    papers = parse_bibtex(bomb + "@misc{k, title=a35}\n@misc{ok, title={Fine}}\n")
    assert [p.title for p in papers][-1] == "Fine" and all(len(p.title) <= 256 * 1024 for p in papers)
    assert any("@string a15: a value longer than 256 KiB" in x for x in papers.problems)  # undefined from here on
    deep = parse_bibtex("@misc{k, title={" + "{" * 20000 + "Deep" + "}" * 20000 + "}}\n")
    assert [p.title for p in deep] == ["Deep"]


def test_clipboard_text_in_any_format():
    assert [p.arxiv_id for p in parse_text("@misc{k, title={Q}, eprint={2401.01234}, archivePrefix={arXiv}}")] == ["2401.01234"]
    assert parse_text("TY  - GEN\nTI  - From RIS\nER  -\n")[0].title == "From RIS"


def test_cli_import_reports_bad_entries_with_lines_and_imports_the_rest(paths, capsys):
    assert main(["import", "--no-resolve", str(SRC / "refs.bib"), str(SRC / "snapshot.jsonl")]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "refs.bib: 5 papers read, 5 new, 0 already in the library, 2 entries skipped",
        "snapshot.jsonl: 4 papers read, 3 new, 1 already in the library, 3 entries skipped",
    ]
    assert "refs.bib: line 45: entry 'notitle' has no title, skipped" in err
    assert "snapshot.jsonl: line 4: not valid JSON" in err
    assert main(["import", "--category", "cs.CL", str(SRC / "snapshot.jsonl")]) == 0
    assert "snapshot.jsonl: 1 paper read, 0 new, 1 already" in capsys.readouterr().out
    assert main(["import", "--category", "q-bio", str(SRC / "snapshot.jsonl")]) == 2
    assert "no papers in the categories q-bio" in capsys.readouterr().err


def test_one_paper_per_work_across_formats(paths):
    store = Store(paths)
    page = parse_text("Attention Is All You Need\n\n" + "The dominant sequence transduction models. " * 8 + "\n")
    store.import_papers(page)
    (title_only,) = store.papers()
    assert title_only.key.startswith("t:") and not title_only.arxiv_id
    store.apply([Change(title_only.key, "starred", True), Change(title_only.key, "note", "mine")])
    for name in ("refs.bib", "zotero.json", "refs.ris", "snapshot.jsonl"):
        store.import_papers(parse_file(SRC / name))
    papers = store.papers()
    twins = [p for p in papers if p.title == "Attention Is All You Need"]
    assert len(twins) == 1 and twins[0].key == title_only.key  # the key never changes
    assert twins[0].arxiv_id == "1706.03762" and twins[0].authors[0] == "Ashish Vaswani" and twins[0].year == "2017"
    assert store.states()[title_only.key].starred and store.states()[title_only.key].note == "mine"
    # the RIS Gödel (lower-case DOI, no accents in the way) is the BibTeX Gödel
    assert len([p for p in papers if "unentscheidbare" in p.title]) == 1
    before = len(papers)
    for name in ("refs.bib", "zotero.json", "refs.ris", "snapshot.jsonl"):
        assert store.import_papers(parse_file(SRC / name)).new == 0
    assert len(store.papers()) == before


def test_doi_matches_case_insensitively_and_edited_fields_stay(paths):
    store = Store(paths)
    store.import_papers([Paper(key="t:1", title="Original Title", doi="10.1/ABC", edited=["journal"], journal="Mine")])
    result = store.import_papers([Paper(key="t:2", title="A Reworded Title", doi="10.1/abc", journal="Theirs", volume="9")])
    assert (result.new, result.existing) == (0, 1)
    (p,) = store.papers()
    assert (p.key, p.journal, p.volume) == ("t:1", "Mine", "9")
    # same title, but two different arXiv papers: two works
    store.import_papers([Paper(key="2401.00001", title="Same", arxiv_id="2401.00001"),
                         Paper(key="2401.00002", title="Same", arxiv_id="2401.00002")])
    assert len(store.papers()) == 3


def test_names_and_tex():
    assert format_name(family="Waals", given="Johannes", particle="van der") == "van der Waals, Johannes"
    assert format_name(family="Steele", given="Guy L.", suffix="Jr.") == "Steele, Jr., Guy L."
    assert format_name(literal="World Health Organization") == "{World Health Organization}"
    assert format_name(family="Vaswani", given="Ashish") == "Ashish Vaswani"
    assert decode_tex(r"Schr{\"o}dinger -- \c{C}a\u{g}r{\i} \& {\ss} \$5") == "Schrödinger – Çağri & ß $5"


# -- fuzzing: any input gives papers and problems, or one InputError; never a crash ---------------
_bib_bits = st.sampled_from(["@article{", "@string{", "@comment{", "title", "=", "{", "}", '"', "#", ",", "\\\"o", "\\'", " and ",
                             "author", "eprint", "2401.01234", "\n", "@", "(", ")", "month", "jan", "}}}", "{{{"])
_ris_bits = st.sampled_from(["TY  - JOUR\n", "ER  - \n", "TI  - x\n", "AU  - a, b, c\n", "PY  - 2020/01/99\n", "DO  - 10.1/x\n",
                             "SP  - 1\n", "EP  - 2\n", "  cont\n", "XX  -\n", "UR  - arxiv.org/abs/2401.00001\n"])
_json_bits = st.sampled_from(["[", "]", "{", "}", ",", ":", '"title"', '"author"', '"x"', "1", "null", "[[2020]]", '"issued"',
                              '"date-parts"', '"literal"', '"family"', '"number"', '"arXiv:2401.00001"', "\n", "true"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_bib_bits | st.text(max_size=5), max_size=60).map("".join))
def test_fuzz_bibtex(text):
    for p in parse_bibtex(text):
        assert p.title and p.key


@settings(max_examples=150, deadline=None)
@given(st.lists(_ris_bits | st.text(max_size=5), max_size=40).map("".join))
def test_fuzz_ris(text):
    for p in parse_ris(text):
        assert p.title


@settings(max_examples=150, deadline=None)
@given(st.lists(_json_bits | st.text(max_size=3), max_size=60).map("".join))
def test_fuzz_csl_json(text):
    try:
        papers = parse_csl_json("[" + text)
    except CslError:
        return
    for p in papers:
        assert p.title


@settings(max_examples=150, deadline=None)
@given(st.lists(st.builds(json.dumps, st.dictionaries(st.sampled_from(["id", "title", "authors", "authors_parsed", "versions", "categories", "doi"]),
                                                      st.recursive(st.none() | st.integers() | st.text(max_size=8), lambda c: st.lists(c, max_size=3), max_leaves=6)))
                | st.text(max_size=30), max_size=10).map("\n".join))
def test_fuzz_snapshot(text):
    import io

    for batch in iter_snapshot(io.BytesIO(text.encode())):
        for p in batch:
            assert p.arxiv_id and p.title


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["refs.bib", "zotero.json", "refs.ris", "snapshot.jsonl"]), st.integers(0, 4000), st.binary(max_size=40))
def test_fuzz_damaged_files(tmp_path, name, cut, junk):
    path = tmp_path / name
    data = (SRC / name).read_bytes()
    path.write_bytes(data[:cut] + junk + data[cut + len(junk):])
    try:
        papers = parse_file(path)
    except InputError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
        return
    assert all(p.title for p in papers)


def test_bibtex_and_others_is_et_al_not_an_author():
    """A trial found Google Scholar's `and others` imported as an author named "others"
    (APA: "& others"; RIS: AU  - others)."""
    from reader.sources.bibtex import split_authors

    assert split_authors("Beethoven, Ludwig van and Smith, John and others") == ["Beethoven, Ludwig van", "John Smith"]
    assert len(split_authors("Smith, John and {Others}")) == 2  # braced: a name
    assert split_authors("others") == []


def test_arxivs_own_doi_is_the_arxiv_paper(tmp_path):
    """A trial found an entry carrying only 10.48550/arXiv.ID added as a second paper
    beside that arXiv paper (no arXiv id; its DOI taken for a published version)."""
    bib = tmp_path / "doi-only.bib"
    bib.write_text("@misc{x, title={A Title}, author={Atom, Alice}, year={2024}, doi={10.48550/arXiv.2401.00001}}\n")
    (paper,) = parse_file(bib)
    assert (paper.arxiv_id, paper.doi, paper.key) == ("2401.00001", "", "2401.00001")


def test_a_feeds_one_creator_line_naming_several_people():
    """A trial found `dc:creator` "Zoë Smith, Li Wei" imported as one author."""
    from reader.sources.feeds import _authors

    assert _authors({"author": "Zoë Smith, Li Wei, and Ada King"}) == ["Zoë Smith", "Li Wei", "Ada King"]
    assert _authors({"author": "Smith, John"}) == ["Smith, John"]  # one person, family name first
    assert _authors({"author": "A. Author; B. Writer"}) == ["A. Author", "B. Writer"]


def test_cite_with_an_empty_query_matches_nothing(paths, capsys):
    """A trial found `reader cite ""` citing the papers that had marks and no pinned key."""
    from reader.cli import main
    from reader.state import Change
    from reader.storage.store import Store

    store = Store(paths)
    store.import_papers(parse_file(SAMPLE))
    store.apply([Change(store.papers()[0].key, "starred", True)])
    assert main(["cite", ""]) == 2
    assert "no paper matches" in capsys.readouterr().err


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcXYZ éß~^&%#_{ .", min_size=1, max_size=30))  # ("--" is an en dash in TeX)
def test_reader_reads_back_the_bibtex_it_writes(text):
    """A trial found titles garbled through reader's own BibTeX: '\\textbraceleft' left
    as written, '~' lost, '\\cite{x}' read as '\\citex'. What the exporter escapes, the
    importer decodes (text whose braces are balanced is TeX and kept as TeX by design)."""
    from reader.citations.tex import escape_bibtex
    from reader.text import clean

    text = clean(text)
    if not text or text.count("{") == text.count("}") and "{" in text:
        return
    assert decode_tex(escape_bibtex(text)) == text
