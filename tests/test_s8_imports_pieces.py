"""A file split with ``split -b`` and its pieces imported in order in one command: the
entry cut in two at each cut is read whole (BibTeX, RIS, the arXiv snapshot); a piece
imported alone says, in one line each, that its first or last entry is cut off."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.parsers import InputError, iter_file
from reader.parsers.pieces import ADVICE

from .test_snapshot import _write_snapshot


def _bib(n: int = 12) -> bytes:
    return "".join(
        f"@article{{k{i},\n  author = {{Müller, Jörg and van der Berg{i}, Åsa}},\n"
        f"  title = {{On {{G}}ödel's theorem, part {i}}},\n  journal = {{Zeitschrift für Logik}},\n"
        f"  year = {2000 + i},\n  abstract = {{Wörds {i} {'éx ' * (i * 7 % 40)}}}\n}}\n\n"
        for i in range(n)).encode()


def _ris(n: int = 12) -> bytes:
    return "".join(
        f"TY  - JOUR\r\nAU  - Müller, Jörg\r\nAU  - Berg{i}, Åsa\r\nTI  - On Gödel's theorem, part {i}\r\n"
        f"JO  - Zeitschrift für Logik\r\nPY  - {2000 + i}\r\nAB  - Wörds {i} {'éx ' * (i * 7 % 40)}\r\nER  - \r\n\r\n"
        for i in range(n)).encode()


def _snapshot(tmp_path) -> bytes:
    path = tmp_path / "whole.jsonl"
    _write_snapshot(path, 30)
    return path.read_bytes()


def _seen(papers) -> list[tuple]:
    return sorted((p.key, p.title, tuple(p.authors), p.abstract, p.published) for p in papers)


def _import_in_order(paths) -> tuple[list, list[str]]:
    """What ``reader import`` does with the files, one after another (reader.cli.imports)."""
    papers, said, before = [], [], None
    for path in paths:
        try:
            batches = list(iter_file(path, before=before))
        except InputError as exc:
            said.append(str(exc))
            before = getattr(exc, "tail_cut", None)
            continue
        for batch in batches:
            papers += batch
            said += [f"{path.name}: {x}" for x in batch.problems + batch.warnings]
        before = batches[-1].tail_cut
    return papers, said


def _pieces(tmp_path, data: bytes, cuts: list[int]) -> list:
    paths = []
    for i, (a, b) in enumerate(zip([0, *cuts], [*cuts, len(data)], strict=True)):
        paths.append(tmp_path / f"x.a{'abcdefgh'[i]}")
        paths[-1].write_bytes(data[a:b])
    return paths


MAKERS = {"bibtex": lambda tmp: _bib(), "ris": lambda tmp: _ris(), "snapshot": _snapshot}


@pytest.mark.parametrize("fmt", MAKERS)
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_pieces_imported_in_order_read_every_paper_of_the_whole(tmp_path, fmt, data):
    whole = MAKERS[fmt](tmp_path)
    (tmp_path / "whole").write_bytes(whole)
    want = _seen(p for batch in iter_file(tmp_path / "whole") for p in batch)
    assert len(want) in (12, 30)
    # cuts anywhere (inside a character, a line, an entry), a piece at least two entries long
    room = len(whole) // 5
    cuts = sorted(data.draw(st.sets(st.integers(1, len(whole) - 1), min_size=1, max_size=3)))
    if any(b - a < room for a, b in zip([0, *cuts], [*cuts, len(whole)], strict=True)):
        cuts = [cuts[0] if room <= cuts[0] <= len(whole) - room else len(whole) // 2]
    if fmt == "ris":  # a RIS file cut at a line's end is not known to be cut (see the test below)
        cuts = [next(i for i in range(c, len(whole)) if whole[i - 1:i] not in (b"\r", b"\n")) for c in cuts]
    papers, said = _import_in_order(_pieces(tmp_path, whole, cuts))
    assert _seen(papers) == want, said
    for line in said:  # each piece's cut last entry is said, then its end joined with it in the next
        assert "joined with it, read whole" in line or "the file ends inside" in line, said
    assert sum("joined" in x for x in said) == sum("the file ends inside" in x for x in said)


@pytest.mark.parametrize("fmt", ["bibtex", "ris"])
def test_a_piece_alone_says_its_first_and_last_entries_are_cut_off(tmp_path, fmt):
    whole = MAKERS[fmt](tmp_path)
    third = len(whole) // 3
    first, middle, last = _pieces(tmp_path, whole, [third + 7, 2 * third + 7])
    papers = list(iter_file(middle))[0]
    assert papers.problems[0].startswith("lines 1-") and "the file starts inside an entry (its start is cut off" in papers.problems[0]
    assert papers.problems[-1].endswith(f"the last entry is cut off (the file ends inside it: {ADVICE}), skipped")
    start = middle.read_bytes().rfind(b"TY  - " if fmt == "ris" else b"@article")
    line = middle.read_bytes().count(b"\n", 0, start) + 1
    assert papers.problems[-1].startswith(f"line {line}: ")
    assert len(papers.problems) == 2
    # the two imported in the wrong order join nothing: each says what it lacks
    _got, said = _import_in_order([middle, first])
    assert not any("joined" in x for x in said)


def test_a_ris_file_that_ends_without_an_er_line_but_whole_still_counts(tmp_path):
    path = tmp_path / "hand.ris"
    path.write_bytes(b"TY  - JOUR\nTI  - A hand-made record\nAU  - Doe, J.\n")
    papers = list(iter_file(path))[0]
    assert [p.title for p in papers] == ["A hand-made record"] and not papers.problems and papers.tail_cut is None


def test_a_bibtex_piece_cut_inside_a_character_is_read_as_utf8(tmp_path):
    whole = _bib(3)
    cut = whole.index("Jörg".encode()) + 2  # inside the ö
    first, second = _pieces(tmp_path, whole, [cut, whole.index(b"@article{k2")])[:2]
    papers, said = _import_in_order([first, second])
    assert [p.title for p in papers] == ["On Gödel's theorem, part 0", "On Gödel's theorem, part 1"]
    assert [p.authors[0] for p in papers] == ["Jörg Müller"] * 2 and papers[0].journal == "Zeitschrift für Logik"
    assert said[0] == f"{first}: no papers found in this BibTeX file (line 1: the last entry is cut off (the file ends inside it: {ADVICE}), skipped)"


def test_cli_reads_split_pieces_whole_and_says_so(paths, tmp_path, capsys):
    from reader.cli import main
    from reader.storage.store import Store

    whole = _snapshot(tmp_path)
    pieces = _pieces(tmp_path, whole, [4001, 9001])
    assert main(["import", "--no-resolve", *map(str, pieces)]) == 0
    out, err = capsys.readouterr()
    assert len(Store(paths).papers()) == 30
    assert out.splitlines() == ["x.aa: 7 papers read, 7 new, 0 already in the library, 1 entry skipped",
                                "x.ab: 8 papers read, 8 new, 0 already in the library, 1 entry skipped",
                                "x.ac: 15 papers read, 15 new, 0 already in the library"]
    assert err.count("joined with it, read whole") == 2 and err.count("\n") == 4
    assert [json.loads(line)["id"] for line in whole.splitlines()] == sorted(p.arxiv_id for p in Store(paths).papers())


def test_a_ris_piece_cut_at_a_line_end_keeps_its_last_record_and_the_next_says_its_start_is_cut_off(tmp_path):
    """A record without ER at the end of a file that ends with its line counts, as a
    hand-made file's does (reader.sources.ris): nothing shows it cut. The next piece's
    first lines, up to an ER, are said cut off."""
    whole = _ris(3)
    cut = whole.index(b"PY  - 2001")
    papers, said = _import_in_order(_pieces(tmp_path, whole, [cut]))
    assert [p.title for p in papers] == [f"On Gödel's theorem, part {i}" for i in range(3)]
    assert len(said) == 1 and said[0].startswith("x.ab: lines 1-3: the file starts inside an entry")


@pytest.mark.parametrize(("fmt", "after"), [
    ("ris", b"\r\nER  -"),  # the first piece ends with an ER line, without its line end: that record is whole
    ("ris", b"\r\nER  "),  # inside the ER tag
    ("ris", b"\r\n\r\nT"),  # inside the next TY tag
    ("bibtex", b"}\n\n@arti"),  # inside an entry's first line, before its brace
    ("bibtex", b"}\n\n@article{k6"),  # inside its key
    ("bibtex", b"Zeitschrift f\xc3"),  # inside a character
])
def test_cuts_at_the_edges_of_an_entry(tmp_path, fmt, after):
    whole = MAKERS[fmt](tmp_path)
    (tmp_path / "whole").write_bytes(whole)
    want = _seen(p for batch in iter_file(tmp_path / "whole") for p in batch)
    cut = whole.index(after, len(whole) // 3) + len(after)
    papers, said = _import_in_order(_pieces(tmp_path, whole, [cut]))
    assert _seen(papers) == want, said


async def test_the_app_started_on_pieces_reads_them_whole(paths, tmp_path):
    """`reader x.aa x.ab` (files given to the app at start) joins the pieces as `reader
    import` does."""
    from reader.tui.app import ReaderApp

    from .conftest import started

    pieces = _pieces(tmp_path, _bib(), [700])
    app = ReaderApp(paths, files=[str(p) for p in pieces])
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        assert app.triage.size == 12
