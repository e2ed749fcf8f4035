"""A title-only paper purged before TeX math was read as Unicode (NORMS 2), imported
again, gets a new key: the marks left under its old key find it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.model import Paper, distinct_key, legacy_key, norm_key, normalize_title_v1, title_key
from reader.state import Change
from reader.storage.store import Store
from reader.text import normalize_title

MATH_TITLE = r"$\alpha$-Nets: learning $x_1^2$ in $O(n \log n)$"


def test_the_old_normalization_gives_the_keys_it_gave():
    """Keys computed with reader's normalize_title as it was before NORMS 2 (from git)."""
    assert norm_key(normalize_title_v1(MATH_TITLE)) == "t:a645a3eb297d0a39"
    assert norm_key(normalize_title_v1(r"Scaling $\mathbb{R}^d$ Ümlaut Théorie")) == "t:eb3d1d71f2b3082b"
    assert title_key(MATH_TITLE) != "t:a645a3eb297d0a39"  # (the new one differs: the case at hand)


@given(st.text(st.characters(blacklist_characters="$", blacklist_categories=("Cs",)), max_size=40))
def test_without_math_both_normalizations_agree(title):
    """Only a title with ``$`` changed its key: any other title keeps it (no marks moved)."""
    assert normalize_title_v1(title) == normalize_title(title)
    assert legacy_key(Paper(key=title_key(title), title=title), title_key(title)) == ""


def _marks(store: Store, key: str, **values) -> None:
    store.apply([Change(key, name, value) for name, value in values.items()])


def _purged_before(store: Store, title: str, **marks) -> str:
    """A title-only paper imported and marked under its NORMS 1 key, then purged (its
    marks stay, as a purge leaves them). Returns that key."""
    old = norm_key(normalize_title_v1(title))
    store.import_papers([Paper(key=old, title=title)])
    _marks(store, old, **marks)
    assert [p.key for p in store.remove_papers({old})] == [old]
    return old


def test_marks_of_a_paper_purged_before_find_it_imported_again_from_the_cli(paths, tmp_path, capsys):
    from reader.cli import main

    store = Store(paths)
    title = MATH_TITLE
    old = _purged_before(store, title, read=True, starred=True, note="my note", tags=["ml"], archived="2026-01-01")
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{a, title = {" + title + "}, author = {Ann Smith}, year = {2020}}\n")
    assert main(["import", "--no-resolve", str(bib)]) == 0
    assert "1 new" in capsys.readouterr().out
    (paper,) = Store(paths).papers()
    assert paper.key != old and paper.key == title_key(paper.title)
    states = Store(paths).states()
    got = states[paper.key]
    assert (got.read, got.starred, got.note, got.tags, got.archived) == (True, True, "my note", ["ml"], "2026-01-01")
    assert got.updated == states[old].updated  # when the user marked it, not now
    assert not states[old].empty  # copied, never taken away


def test_a_distinct_work_s_old_key_is_found_too(paths):
    """A paper that shares its title with another work has a ``w:`` key, from its title too."""
    store = Store(paths)
    store.import_papers([Paper(key=title_key(MATH_TITLE), title=MATH_TITLE, authors=["Bob Jones"])])
    other = Paper(key=title_key(MATH_TITLE), title=MATH_TITLE, authors=["Ann Smith"])
    old = "w:" + norm_key(normalize_title_v1(MATH_TITLE) + "\x00" + "ann;smith")[2:]
    _marks(store, old, starred=True)
    result = store.import_papers([other])
    assert result.new_keys == [distinct_key(other)] and distinct_key(other) != old
    assert store.states()[distinct_key(other)].starred


def test_marks_under_the_new_key_are_never_replaced(paths):
    store = Store(paths)
    old = _purged_before(store, MATH_TITLE, note="old note", starred=True)
    new = title_key(MATH_TITLE)
    _marks(store, new, note="newer note")
    store.import_papers([Paper(key=new, title=MATH_TITLE)])
    states = store.states()
    assert (states[new].note, states[new].starred) == ("newer note", False)
    _marks(store, new, note="")  # unmarked by the user: still the user's word, not an empty slot
    store.remove_papers({new})
    store.import_papers([Paper(key=new, title=MATH_TITLE)])
    assert store.states()[new].empty and store.states()[old].note == "old note"


def test_no_marks_move_when_the_old_key_is_ambiguous_or_still_a_paper(paths):
    store = Store(paths)
    # two titles that NORMS 1 read alike ("nets"): which one was marked cannot be told
    twins = [r"$\alpha$-Nets", r"$\beta$-Nets"]
    old = _purged_before(store, twins[0], starred=True)
    assert norm_key(normalize_title_v1(twins[1])) == old
    result = store.import_papers([Paper(key=title_key(t), title=t) for t in twins])
    assert len(result.new_keys) == 2 and not any(k in store.states() for k in result.new_keys)
    # the old key is a paper of the library (a plain title that reads as NORMS 1 read the math one)
    store2 = Store(type(paths)(paths.data_dir / "2", paths.config_dir))
    store2.import_papers([Paper(key=title_key("Nets"), title="Nets")])
    assert title_key("Nets") == old
    _marks(store2, old, starred=True)
    result = store2.import_papers([Paper(key=title_key(twins[0]), title=twins[0])])
    assert result.new_keys == [title_key(twins[0])] and title_key(twins[0]) not in store2.states()


def test_the_app_s_import_shows_the_carried_marks(paths):
    """The TUI imports through Triage; the marks written to the state file reach its
    in-memory view at its next look at the disk (once a second)."""
    from reader.triage import Triage

    store = Store(paths)
    old = _purged_before(store, MATH_TITLE, starred=True, note="kept")
    triage = Triage(Store(paths), background=False)
    assert old in triage.states
    result = triage.import_papers([Paper(key=title_key(MATH_TITLE), title=MATH_TITLE)])
    (new,) = result.new_keys
    changed, _ = triage.refresh_from_disk()
    assert new in changed and triage.state(new).starred and triage.state(new).note == "kept"
    assert new in triage.pos


@pytest.mark.parametrize("key", ["2401.00001", "t:0000000000000000"])
def test_papers_without_math_or_title_keys_have_no_old_key(key):
    assert legacy_key(Paper(key=key, title="Plain title"), key) == ""
    assert legacy_key(Paper(key=key, title=MATH_TITLE), key) == ("" if key[0] != "t" else norm_key(normalize_title_v1(MATH_TITLE)))


def test_the_store_reads_a_generator_of_papers(paths):
    store = Store(paths)
    old = _purged_before(store, MATH_TITLE, starred=True)
    store.import_papers(p for p in [Paper(key=title_key(MATH_TITLE), title=MATH_TITLE)])
    assert store.states()[title_key(MATH_TITLE)].starred and store.states()[old].starred
