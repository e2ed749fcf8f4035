"""reader's own text exports with notes are refused as an import, not read as a copied
page (trial 9: a note of two paragraphs made a Markdown export one junk paper titled
"[Deep learning](<https://doi.org/...>) Note: First paragraph", its abstract the rest)."""

from __future__ import annotations

import pytest

from reader.cli import main
from reader.state import CLOCK, Change
from reader.storage.store import Store

from .conftest import SAMPLE


@pytest.mark.parametrize("fmt", ["markdown", "plain", "apa", "mla", "chicago"])
def test_an_annotated_export_is_refused_with_a_clear_line(paths, tmp_path, capsys, monkeypatch, fmt):
    assert main(["import", str(SAMPLE)]) == 0
    store = Store(paths)
    keys = [p.key for p in store.papers()]
    store.apply([Change(keys[40], "note", "First paragraph.\n\nSecond paragraph.", CLOCK.now()),
                 Change(keys[41], "tags", ["NLP"], CLOCK.now())])
    out = tmp_path / f"export.{fmt}.txt"
    assert main(["export", "--format", fmt, "--with-notes", "-o", str(out)]) == 0
    capsys.readouterr()
    other = tmp_path / "other"
    (other / "c").mkdir(parents=True)
    monkeypatch.setenv("READER_DATA_DIR", str(other / "d"))  # another library
    monkeypatch.setenv("READER_CONFIG_DIR", str(other / "c"))
    assert main(["import", str(out)]) == 2
    err = capsys.readouterr().err
    assert "reader's own export with notes" in err and len(err.strip().splitlines()) == 1, err
