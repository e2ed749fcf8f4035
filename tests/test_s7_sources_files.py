"""Importing the files users have: the snapshot compressed as downloaded (arXiv's .gz,
Kaggle's .zip), cut short, split with ``split -b``; one clear line for anything else."""

from __future__ import annotations

import gzip
import io
import sys
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.parsers import InputError, parse_file
from reader.paths import Paths
from reader.sources.files import import_file
from reader.storage.store import Store

from .test_snapshot import _write_snapshot


def _gz(path, data: bytes):
    path.write_bytes(gzip.compress(data, mtime=0))
    return path


def _zip(path, data: bytes, name: str = "arxiv-metadata-oai-snapshot.json"):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return path


def _ids(store: Store) -> list[str]:
    return [p.arxiv_id for p in store.papers()]


@pytest.mark.parametrize("pack", [_gz, _zip])
@pytest.mark.parametrize("in_child", [False, True])
def test_a_compressed_snapshot_imports_as_the_plain_one_with_progress_in_its_own_bytes(
        paths, tmp_path, monkeypatch, pack, in_child):
    import reader.sources.snapshot_worker as worker

    plain = tmp_path / "s.jsonl"
    _write_snapshot(plain, 10_200, bad_every=997)  # the last batch is short: all of the file is read before it
    packed = pack(tmp_path / "s.packed", plain.read_bytes())
    monkeypatch.setattr(worker, "IN_CHILD_FROM", 0 if in_child else 1 << 60)
    started = []
    real_start = worker._start
    monkeypatch.setattr(worker, "_start", lambda *a: started.append(a) or real_start(*a))
    seen: list[tuple] = []
    store = Store(paths)
    done = import_file(store, packed, progress=lambda *told: seen.append(told))
    assert bool(started) == in_child
    want = Store(type(paths)(tmp_path / "plain", tmp_path / "plain"))
    plain_done = import_file(want, plain)
    assert (done.read, done.problems) == (plain_done.read, plain_done.problems) and done.read > 10_000
    assert _ids(store) == _ids(want)
    size = packed.stat().st_size
    assert [total for _, total in seen] == [size] * len(seen) and seen[-1][0] == size  # ends at 100%
    assert [d for d, _ in seen].count(size) == 1  # 100% once: the bar's last line is drawn once
    assert seen[-2][0] > size // 2  # (told in the compressed bytes: the plain ones are 10 times more)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) >= 3


def test_a_compressed_file_read_to_its_end_before_its_last_batch_says_100_percent_once(paths, tmp_path, monkeypatch):
    """The decompressor reads ahead, so the last batches of a well-compressed file may all
    find it read to its end: each 100% ended the bar's line, and the bar was drawn twice."""
    import reader.sources.snapshot_worker as worker

    plain = tmp_path / "s.jsonl"
    _write_snapshot(plain, 10)
    packed = _gz(tmp_path / "s.gz", plain.read_bytes())
    size = packed.stat().st_size
    real = worker.iter_snapshot_file

    def read_ahead(path, categories=None, progress=None):
        for batch in real(path, categories):
            yield batch
            progress(size)  # as the last batches of arxiv-metadata-oai-snapshot.json.gz tell it
        progress(size)

    monkeypatch.setattr(worker, "iter_snapshot_file", read_ahead)
    seen: list[tuple] = []
    import_file(Store(paths), packed, progress=lambda *told: seen.append(told))
    assert [d for d, _ in seen].count(size) == 1 and seen[-1] == (size, size)


@pytest.mark.parametrize("in_child", [False, True])
def test_a_gzip_download_cut_short_keeps_the_papers_before_the_cut_and_says_so(paths, tmp_path, monkeypatch, in_child):
    """The batches before the cut are stored, and so are the papers of the last one (a
    truncated .gz used to lose them): then one line names the file and the problem."""
    import reader.sources.snapshot_worker as worker

    plain = tmp_path / "s.jsonl"
    _write_snapshot(plain, 12_000)
    whole = gzip.compress(plain.read_bytes(), mtime=0)
    cut = tmp_path / "s.jsonl.gz"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    monkeypatch.setattr(worker, "IN_CHILD_FROM", 0 if in_child else 1 << 60)
    store = Store(paths)
    with pytest.raises(InputError) as info:
        import_file(store, cut)
    assert str(info.value) == f"{cut}: the compressed data ends early (a download cut short?)"
    read = gzip.GzipFile(fileobj=io.BytesIO(cut.read_bytes()))
    got = b""
    try:
        while chunk := read.read(4096):
            got += chunk
    except EOFError:
        pass
    complete = got[: got.rindex(b"\n") + 1].count(b"\n")
    assert _ids(store) == [f"2401.{i:05d}" for i in range(complete)] and complete > 5_000


def test_the_cli_says_one_line_for_compressed_files_it_does_not_read(paths, tmp_path, capsys, monkeypatch):
    from reader.cli import main

    cases = {
        _gz(tmp_path / "ids.txt.gz", b"2401.00001\n2401.00002\n"):
            "gzip-compressed, and not the arXiv metadata snapshot: only the snapshot is read compressed; decompress it first",
        _gz(tmp_path / "empty.gz", b""): "file is empty (gzip-compressed)",
        _zip(tmp_path / "refs.zip", b"@article{a, title={T}}\n"):
            "zip-compressed, and not the arXiv metadata snapshot: only the snapshot is read compressed; decompress it first",
    }
    empty_zip = tmp_path / "none.zip"
    zipfile.ZipFile(empty_zip, "w").close()
    cases[empty_zip] = "the zip archive holds no file"
    garbage = tmp_path / "garbage.gz"
    garbage.write_bytes(b"\x1f\x8b" + b"\x08\x00" + b"\xff" * 100)
    cases[garbage] = "damaged or unsupported compressed data"
    for path, problem in cases.items():
        assert main(["import", "--no-resolve", str(path)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.startswith(f"reader: {path}: {problem}") and err.count("\n") == 1, err
    data = gzip.compress(b'{"id": "2401.00001", "title": "T", "categories": "cs.CL"}\n' * 9)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["import", "--no-resolve", "-"]) == 2
    assert capsys.readouterr().err == ("reader: <stdin>: compressed data: give the file's name (reader import FILE.gz), "
                                       "or decompress it into standard input (zcat FILE.gz | reader import -)\n")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300), st.sampled_from([b"\x1f\x8b", b"PK\x03\x04", b"PK\x05\x06"]))
def test_any_bytes_behind_a_compression_mark_give_papers_or_one_line(tmp_path_factory, data, magic):
    path = tmp_path_factory.mktemp("fuzz") / "f.gz"
    path.write_bytes(magic + data)
    lib = tmp_path_factory.mktemp("lib")
    store = Store(Paths(lib, lib))
    try:
        import_file(store, path)
    except InputError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 100))
def test_a_gzip_snapshot_cut_anywhere_gives_a_first_part_of_its_papers(tmp_path_factory, percent):
    from reader.parsers.decode import InputError as Refused
    from reader.sources.snapshot_worker import iter_snapshot_file

    tmp = tmp_path_factory.mktemp("cut")
    plain = tmp / "s.jsonl"
    _write_snapshot(plain, 60)
    whole = gzip.compress(plain.read_bytes(), mtime=0)
    path = tmp / "s.gz"
    path.write_bytes(whole[: len(whole) * percent // 100])
    got: list[str] = []
    try:
        for batch in iter_snapshot_file(path):
            got += [p.arxiv_id for p in batch]
    except Exception as exc:  # noqa: BLE001 - checked below
        assert type(exc).__name__ == "ChildFailed" and not isinstance(exc, Refused), exc
        assert str(exc) in ("the compressed data ends early (a download cut short?)",) or "damaged" in str(exc)
    else:
        assert percent == 100
    assert got == [f"2401.{i:05d}" for i in range(len(got))]


def test_pieces_of_split_b_say_where_they_were_cut_and_how_to_read_them_whole(tmp_path):
    plain = tmp_path / "s.jsonl"
    _write_snapshot(plain, 40)
    data = plain.read_bytes()
    first, second = tmp_path / "part.aa", tmp_path / "part.ab"
    first.write_bytes(data[:7000])
    second.write_bytes(data[7000:])
    a, b = parse_file(first), parse_file(second)
    assert len(a) + len(b) == 39  # the paper cut in two is in neither
    assert len(a.problems) == 1 and a.problems[0].startswith(f"line {len(a) + 1}: not valid JSON")
    assert a.problems[0].endswith("; the file ends inside this line (cut short? a piece of `split -b`: "
                                  "import the pieces in order in one command (`reader import x.aa x.ab`) to read it whole)")
    assert len(b.problems) == 1 and b.problems[0].startswith("line 1: not valid JSON")
    assert b.problems[0].endswith("; the file starts inside a line (a piece of `split -b`? "
                                  "import the pieces in order in one command (`reader import x.aa x.ab`) to read it whole)")
    whole = parse_file(plain)
    assert len(whole) == 40 and not whole.problems  # a whole file says nothing of the kind


@pytest.mark.parametrize("name", ["empty.jsonl", "empty.gz"])
def test_an_empty_file_and_a_directory_are_one_line_each(paths, tmp_path, capsys, name):
    from reader.cli import main

    (tmp_path / name).write_bytes(b"")
    (tmp_path / "dir.jsonl.gz").mkdir()
    assert main(["import", "--no-resolve", str(tmp_path / name), str(tmp_path / "dir.jsonl.gz")]) == 2
    assert capsys.readouterr().err.splitlines() == [f"reader: {tmp_path / name}: file is empty",
                                                    f"reader: {tmp_path / 'dir.jsonl.gz'}: is a directory, not a file"]


_ENCODINGS = {
    "crlf": lambda t: t.replace("\n", "\r\n").encode(),
    "cr": lambda t: t.replace("\n", "\r").encode(),
    "utf-8 bom": lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode(),
    "utf-16 le bom": lambda t: t.replace("\n", "\r\n").encode("utf-16"),  # (Python writes its BOM, little-endian)
    "utf-16 be bom": lambda t: b"\xfe\xff" + t.replace("\n", "\r\n").encode("utf-16-be"),
}


@pytest.mark.parametrize(("encoding", "fixture"), [(e, f) for e in _ENCODINGS for f in ["trending_page.txt", "sources/snapshot.jsonl"]
                                                   if (e, f) != ("cr", "sources/snapshot.jsonl")])  # (nobody makes that)
def test_a_page_or_snapshot_saved_on_windows_reads_as_saved_on_linux(tmp_path, monkeypatch, encoding, fixture):
    """Notepad's CRLF, a BOM, UTF-16: from a file and from standard input, the same papers."""
    from .conftest import FIXTURES

    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    want = [(p.key, p.title, p.abstract) for p in parse_file(FIXTURES / fixture)]
    path = tmp_path / "saved.txt"
    path.write_bytes(_ENCODINGS[encoding](text))
    assert [(p.key, p.title, p.abstract) for p in parse_file(path)] == want
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    assert [(p.key, p.title, p.abstract) for p in parse_file("-")] == want


@pytest.mark.parametrize("lines", [10_000, 10_001])
def test_a_snapshot_of_whole_batches_says_100_percent_once(paths, tmp_path, lines):
    """A file whose papers fill its last batch was told read twice, after that batch and at
    its end: the bar ended its line twice (two 100% lines). In-process (a file under 32 MiB)."""
    path = tmp_path / "s.jsonl"
    _write_snapshot(path, lines)
    seen: list[tuple] = []
    import_file(Store(paths), path, progress=lambda *told: seen.append(told))
    size = path.stat().st_size
    assert [d for d, _ in seen].count(size) == 1 and seen[-1] == (size, size) and len(seen) == 2 + lines % 2
