"""`reader purge` lists cite keys, not internal keys; `reader archive a b badkey` says
that nothing was archived, naming the key(s) that stopped it (trial 10, items 11-12)."""

from __future__ import annotations

from reader.cli import main
from reader.model import Paper
from reader.storage.store import Store

BOOK = Paper(key="t:f9c64748e36e8725", title="The TeXbook", authors=["Donald E. Knuth"], published="1984",
             entry_type="book", publisher="Addison-Wesley")
OTHER = Paper(key="t:0123456789abcdef", title="Another Work", authors=["Ann Bee"], published="2001",
              url="https://example.org/a")


def test_purge_lists_cite_keys(paths, capsys):
    Store(paths).import_papers([BOOK, OTHER])
    assert main(["archive", "The TeXbook"]) == 0
    capsys.readouterr()
    assert main(["purge", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "knuth1984texbook  The TeXbook" in out and "t:f9c6" not in out


def test_archive_with_a_bad_key_says_nothing_was_archived(paths, capsys):
    Store(paths).import_papers([BOOK, OTHER])
    assert main(["archive", "knuth1984texbook", "Another Work", "nonexistentzzz", "nokey2"]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "nothing archived" in err and "'nonexistentzzz'" in err and "'nokey2'" in err
    assert not any(s.archived for s in Store(paths).states().values())
    assert main(["unarchive", "knuth1984texbook", "zzz-nothing"]) == 2
    assert "nothing unarchived" in capsys.readouterr().err
