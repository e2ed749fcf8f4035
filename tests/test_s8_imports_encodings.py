"""Files as other systems save them: old Mac line ends (CR alone), mixed line ends, UTF-16
without a BOM (Windows tools, EndNote, Zotero), UTF-32 and UTF-8 with a BOM. Every format
reads them as the same papers as a UTF-8 file with LF line ends."""

from __future__ import annotations

import codecs
import io
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.parsers import InputError, iter_file, parse_file, parse_text
from reader.parsers.encoding import encoding_of
from reader.sources.detect import sniff

from .conftest import FIXTURES

IDS = "# my list\n2401.00001\n2401.00002v2\nhttps://arxiv.org/abs/2301.12345\n"
FORMATS = {
    "bibtex": "sources/refs.bib", "ris": "sources/refs.ris", "csl-json": "sources/zotero.json",
    "snapshot": "sources/snapshot.jsonl", "page": "daily_page.txt", "ids": None,
}
LINE_ENDS = {
    "lf": lambda t: t,
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "cr": lambda t: t.replace("\n", "\r"),
    "mixed": lambda t: "".join(line + ("\n", "\r", "\r\n")[i % 3] for i, line in enumerate(t.split("\n"))),
}
ENCODINGS = {
    "utf-8": lambda t: t.encode(),
    "utf-8 bom": lambda t: codecs.BOM_UTF8 + t.encode(),
    "utf-16 le bom": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16 be bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-16 le": lambda t: t.encode("utf-16-le"),
    "utf-16 be": lambda t: t.encode("utf-16-be"),
    "utf-32 le bom": lambda t: codecs.BOM_UTF32_LE + t.encode("utf-32-le"),
    "utf-32 be bom": lambda t: codecs.BOM_UTF32_BE + t.encode("utf-32-be"),
}


def _text(fmt: str) -> str:
    return IDS if FORMATS[fmt] is None else (FIXTURES / FORMATS[fmt]).read_text(encoding="utf-8").replace("\r\n", "\n")


def _seen(papers) -> tuple:
    return [(p.key, p.title, p.abstract, p.authors) for p in papers], getattr(papers, "problems", [])


@pytest.mark.parametrize("ends", LINE_ENDS)
@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reads_the_same_in_any_encoding_and_line_ends(tmp_path, fmt, encoding, ends):
    plain = tmp_path / "plain"
    plain.write_bytes(_text(fmt).encode())
    want = _seen(parse_file(plain))
    assert want[0]
    saved = tmp_path / "saved"
    saved.write_bytes(ENCODINGS[encoding](LINE_ENDS[ends](_text(fmt))))
    assert _seen(parse_file(saved)) == want
    assert [p.key for batch in iter_file(saved) for p in batch] == [p.key for p in parse_file(plain)]


@pytest.mark.parametrize("encoding", ["utf-16 le", "utf-16 be", "utf-32 le bom"])
def test_standard_input_in_utf16_without_a_bom_or_utf32(tmp_path, monkeypatch, encoding):
    want = _seen(parse_file(FIXTURES / "sources/refs.bib"))
    data = ENCODINGS[encoding](LINE_ENDS["cr"](_text("bibtex")))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert _seen(parse_file("-")) == want


@pytest.mark.parametrize("fmt", ["page", "bibtex", "ris", "ids", "snapshot"])
def test_pasted_text_with_old_mac_line_ends(fmt):
    """The TUI's paste (P) hands parse_text the clipboard's text as it is."""
    want = [p.key for p in parse_text(_text(fmt), "clipboard")]
    assert want
    assert [p.key for p in parse_text(LINE_ENDS["cr"](_text(fmt)), "clipboard")] == want
    assert [p.key for p in parse_text(LINE_ENDS["mixed"](_text(fmt)), "clipboard")] == want


def test_a_ris_export_with_header_lines_and_old_mac_line_ends_is_recognised_from_its_start():
    head = 'Provider: Elsevier\rDatabase: ScienceDirect\r\rTY  - JOUR\rTI  - A title\rER  - \r'
    assert sniff(head) == "ris"
    assert sniff("% Encoding: UTF-8\r\r@article{k,\r  title = {T}\r}\r") == "bibtex"
    assert sniff(LINE_ENDS["cr"](_text("snapshot"))) == "arxiv-snapshot"


def test_cli_imports_utf16_without_a_bom(paths, tmp_path, capsys):
    from reader.cli import main

    path = tmp_path / "endnote.ris"
    path.write_bytes(ENCODINGS["utf-16 le"](LINE_ENDS["crlf"](_text("ris"))))
    assert main(["import", "--no-resolve", str(path)]) == 0
    assert capsys.readouterr().out == "endnote.ris: 3 papers read, 3 new, 0 already in the library, 1 entry skipped\n"


def test_a_utf8_file_with_a_stray_nul_is_not_taken_for_utf16(tmp_path):
    """Read as UTF-16, its letters would be CJK: a bibliography reads as before (its NUL
    aside), a page or list is refused as binary, as before."""
    path = tmp_path / "f"
    path.write_bytes(b"@article{k1,\n  title = {A title}\n}\n\x00" + "@article{k2,\n  title = {Gödel}\n}\n".encode() * 30)
    assert [p.title for p in parse_file(path)][:2] == ["A title", "Gödel"]
    path.write_bytes(b"\x00" + "2401.00001\nGödel\n".encode() * 40)
    with pytest.raises(InputError, match="binary"):
        parse_file(path)


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20,
                                  bytes(range(256)) * 4, b"a\x00b\x00\x00\x00c\x00" * 100])
def test_binary_files_are_still_refused_in_one_line(tmp_path, data):
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    with pytest.raises(InputError) as exc:
        parse_file(path)
    assert str(exc.value).startswith(f"{path}: ") and "\n" not in str(exc.value)


_LATINISH = st.text(st.characters(min_codepoint=1, max_codepoint=0xFF, blacklist_categories=("Cc", "Cs")) | st.just("\n"),
                    min_size=1, max_size=400)
_ANY = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=400)  # no control characters: not text


@given(_LATINISH, _ANY)
def test_utf16_without_a_bom_is_found_in_either_byte_order(latin, rest):
    """Text mostly of the Latin-1 range (as a bibliography, page or id list is), whatever
    else it holds, is found in its byte order; UTF-8 and CP1252 never are taken for it."""
    text = latin + rest[: len(latin) // 2]
    for name in ("utf-16-le", "utf-16-be"):
        data = text.encode(name)
        if b"\x00" in data[:1024]:
            assert encoding_of(data) == name
    assert encoding_of(text.encode("utf-8")) == "utf-8"
    assert encoding_of(latin.encode("latin-1")) == "utf-8"  # (then CP1252 when it is not UTF-8)


@given(st.binary(max_size=3000))
def test_fuzz_any_bytes_with_nuls_are_papers_or_one_line(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "f"
    path.write_bytes(data[::2] + b"\x00" + data[1::2])
    try:
        for _batch in iter_file(path):
            pass
    except InputError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)


@pytest.mark.parametrize("ends", ["cr", "mixed"])
def test_a_snapshot_with_old_mac_line_ends_bigger_than_a_read_is_read_whole(tmp_path, ends):
    """Lines are read at most 1 MiB at a time: a CR-only file's lines are in those reads,
    and the one each read stops inside goes on into the next."""
    from .test_snapshot import _write_snapshot

    plain = tmp_path / "plain.jsonl"
    _write_snapshot(plain, 5_000, bad_every=997)
    want = [(p.arxiv_id, p.abstract) for batch in iter_file(plain) for p in batch]
    problems = [x.split(" (")[0] for batch in iter_file(plain) for x in batch.problems]  # (JSON's own words vary)
    saved = tmp_path / "saved.jsonl"
    saved.write_bytes(LINE_ENDS[ends](plain.read_text()).encode())
    assert saved.stat().st_size > 3 * 2**20
    batches = list(iter_file(saved))
    assert [(p.arxiv_id, p.abstract) for batch in batches for p in batch] == want
    assert [x.split(" (")[0] for batch in batches for x in batch.problems] == problems
