"""reader's own short plain/APA exports, and a list of titles, are refused with one line
naming the file and what it looks like (trial 10 #7: they became junk papers, the rest lost)."""

from __future__ import annotations

import pytest

from reader.cli import main
from reader.parsers import InputError, parse_text

from .conftest import SAMPLE


@pytest.mark.parametrize("fmt", ["plain", "apa"])
def test_a_short_export_is_refused_as_a_list_of_references(paths, tmp_path, capsys, monkeypatch, fmt):
    assert main(["import", str(SAMPLE)]) == 0
    out = tmp_path / f"starred.{fmt}.txt"
    assert main(["export", "--format", fmt, "-o", str(out)]) == 0
    out.write_text("\n".join(out.read_text().splitlines()[:8]) + "\n")  # a short one (a view's)
    capsys.readouterr()
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "other" / "d"))  # another library
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "other" / "c"))
    assert main(["import", "--no-resolve", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"reader: {out}: looks like a list of references (reader's own plain or APA export?), not a " \
                  "Hugging Face papers page; import its BibTeX, RIS or CSL-JSON export instead\n"


@pytest.mark.parametrize("sep", ["\n\n", "\n\n\n"])
def test_a_list_of_titles_is_refused(sep):
    titles = ["Attention Is All You Need", "Deep Residual Learning for Image Recognition",
              "BERT: Pre-training of Deep Bidirectional Transformers", "Language Models are Few-Shot Learners"]
    with pytest.raises(InputError, match=r"^titles.txt: looks like a list of titles, not a Hugging Face papers page"):
        parse_text(sep.join(titles) + "\n", "titles.txt")


def test_a_page_with_its_chrome_is_still_a_page():
    page = "Trending Papers\n\nAttention Is All You Need\n\nWe propose a network\n\nSecond Title\n\nIts abstract\n"
    assert [p.title for p in parse_text(page, "p.txt")] == ["Attention Is All You Need", "Second Title"]
