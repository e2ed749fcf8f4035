"""Never lose a change, part 2 (issue 11): what an adversarial test broke, each driven
where it was seen (the store and saver the TUI uses, the CLI in-process)."""

from __future__ import annotations

import errno
import json

import pytest

from reader.cli import main
from reader.parsers import parse_file
from reader.saver import Saver
from reader.state import Change
from reader.storage import files as files_mod
from reader.storage import lock as lock_mod
from reader.storage.store import Store, rescue_file
from reader.triage import Triage

from .conftest import SAMPLE

TRUNCATED = '{"_meta":{"1":{"app":"reader","kind":"state","schema":1}},"state":{"1":{"key"'


def imported(paths) -> Store:
    store = Store(paths)
    store.import_papers(parse_file(SAMPLE))
    return store


def state_doc(*docs: dict) -> str:
    return json.dumps({
        "_meta": {"1": {"app": "reader", "kind": "state", "schema": 1}},
        "state": {str(i + 1): d for i, d in enumerate(docs)},
    })


# -- 1. the saver survives every exception ------------------------------------------
def test_state_file_corrupted_mid_run_is_kept_aside_and_changes_still_saved(paths):
    store = imported(paths)
    warnings: list[str] = []
    triage = Triage(store, on_saved=lambda info: warnings.extend(info["warnings"]))
    a, b = triage.keys[:2]
    triage.toggle([a], "starred")
    assert triage.flush(5)
    paths.state.write_text(TRUNCATED)  # someone truncates the file while the TUI runs
    triage.toggle([b], "read")
    assert triage.flush(5), triage.saver.last_error
    triage.toggle([b], "later")  # and the saver keeps going afterwards
    assert triage.close(5)
    aside = list(paths.data_dir.glob("state.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == TRUNCATED
    assert warnings and "kept it as state.json.corrupt-" in warnings[0]
    states = Store(paths).states()
    assert states[a].starred and states[b].read and states[b].later  # what was read + the new changes


def test_saver_survives_any_exception_reports_it_and_retries(paths):
    store = imported(paths)
    real = store.apply
    calls = {"n": 0}

    def flaky(changes):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ValueError("invalid literal for int() with base 10: 'abc'")
        return real(changes)

    store.apply = flaky
    errors: list[str] = []
    saver = Saver(store, on_error=errors.append)
    saver.submit([Change(store.papers()[0].key, "starred", True)])
    assert saver.close(10)
    assert errors and "ValueError" in errors[0] and "abc" in errors[0]
    assert Store(paths).states()[store.papers()[0].key].starred


def test_saver_that_cannot_save_stops_after_close_and_keeps_the_changes(paths):
    """Quitting while every write fails: the last try fails, the thread ends (it once retried
    without pause forever, a core at 100 % until the process exited) and the changes stay
    in ``unsaved()`` for the rescue file."""
    store = imported(paths)
    tries = {"n": 0}

    def broken(changes):
        tries["n"] += 1
        raise OSError(28, "No space left on device")

    store.apply = broken
    saver = Saver(store)
    change = Change(store.papers()[0].key, "starred", True)
    saver.submit([change])
    assert not saver.close(0.3)
    saver._thread.join(timeout=5)
    assert not saver._thread.is_alive()
    assert tries["n"] < 20 and saver.unsaved() == [change]


def test_non_numeric_state_document_id_loads_and_saves(paths, capsys):
    imported(paths)
    key = Store(paths).papers()[0].key
    paths.state.write_text(json.dumps({
        "_meta": {"1": {"app": "reader", "kind": "state", "schema": 1}},
        "state": {"abc": {"key": key, "starred": True}},
    }))
    assert main(["cite", key, "--format", "plain"]) == 0
    capsys.readouterr()
    assert main(["list", "--view", "starred"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1  # the starred paper
    store = Store(paths)
    store.apply([Change("other", "read", True)])
    states = Store(paths).states()
    assert states[key].starred and states["other"].read


def test_unsaved_changes_go_to_a_rescue_file_that_restore_accepts(paths, request, capsys):
    store = imported(paths)
    disk_full = request.getfixturevalue("disk_full")
    triage = Triage(store)
    key = triage.keys[0]
    triage.toggle([key], "starred")
    assert not triage.close(0.3)  # disk full: not saved within the bound
    rescue = rescue_file(store, triage.unsaved(), [paths.config_dir])
    disk_full["on"] = False
    assert rescue is not None and rescue.parent == paths.config_dir
    assert main(["restore", str(rescue)]) == 0
    assert Store(paths).states()[key].starred


# -- 2. a user's change always wins over the stamps on disk ---------------------------
@pytest.mark.parametrize("skew", [3600.0, 9e9])
def test_clock_skew_cannot_swallow_a_change(paths, skew):
    import time

    store = imported(paths)
    key = store.papers()[0].key
    future = time.time() + 3600 if skew == 3600.0 else skew
    paths.state.write_text(state_doc(
        {"key": key, "starred": True, "note": "old", "updated": {"starred": future, "note": future}}
    ))
    triage = Triage(Store(paths))
    assert triage.toggle([key], "starred") is False
    assert triage.set_note(key, "new note")
    assert triage.close(5)
    st = Store(paths).states()[key]
    assert not st.starred and st.note == "new note"
    assert main(["list", "--view", "starred"]) == 0


def test_change_saved_after_another_process_stamped_the_future_still_wins(paths):
    store = imported(paths)
    key = store.papers()[0].key
    mine = Triage(store)
    other = Store(paths)  # another machine whose clock is an hour ahead
    other.apply([Change(key, "note", "theirs", ts=9e9)])
    mine.set_note(key, "mine, typed later")
    assert mine.close(5)
    assert Store(paths).states()[key].note == "mine, typed later"


# -- 3. restore never moves or changes its argument ------------------------------------
def test_restore_refuses_an_invalid_file_and_leaves_it_alone(paths, tmp_path, capsys):
    imported(paths)
    bad = tmp_path / "mybackup.json"
    bad.write_text("{not json")
    assert main(["restore", str(bad)]) == 2
    err = capsys.readouterr().err
    assert bad.read_text() == "{not json" and err.count("\n") == 1 and "mybackup.json" in err
    assert not list(tmp_path.glob("mybackup.json.corrupt-*"))


@pytest.mark.parametrize("which", ["catalogue", "legacy library.json"])
def test_restore_refuses_the_library_and_moves_nothing(paths, capsys, which):
    imported(paths).catalogue.close()  # its last connection checkpoints the log: before, not during
    target = paths.catalogue
    if which != "catalogue":  # a library file of the JSON era, still in the data dir
        target = paths.library
        target.write_text(_library_doc(**{"1": {"key": "a", "title": "A"}}))
    before = target.read_bytes()
    assert main(["restore", str(target)]) == 2
    err = capsys.readouterr().err
    assert "not a reader state file" in err and err.count("\n") == 1
    assert target.read_bytes() == before
    assert not list(paths.data_dir.glob("*.corrupt-*"))
    assert len(Store(paths).papers()) == 52


# -- 4. loading validates; nothing gives a traceback ----------------------------------
def _library_doc(**papers) -> str:
    return json.dumps({"_meta": {"1": {"app": "reader", "kind": "library", "schema": 1}}, "papers": papers})


@pytest.mark.parametrize(
    "name,content,reported",
    [
        ("library.json", "DIR", "a directory"),
        ("state.json", "DIR", "a directory"),
        ("state.json", "[" * 100_000, "state.json"),
        ("state.json", state_doc({"key": "k1", "note": 5}, {"key": "k2", "starred": True}), "note is int"),
        ("library.json", _library_doc(**{"1": {"key": "a"}, "2": {"key": "b", "title": "B"}}), "no title"),
        ("library.json", _library_doc(x={"key": "b", "title": "B"}, **{"2": {"key": "c", "title": "C"}}), ""),
    ],
)
def test_bad_files_and_documents_are_reported_not_a_traceback(paths, capsys, name, content, reported):
    paths.data_dir.mkdir(parents=True)
    target = paths.data_dir / name
    if content == "DIR":
        target.mkdir()
    else:
        target.write_text(content)
    assert main(["list"]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if reported:
        assert reported in err and ("kept it as" in err or "kept a copy" in err)
        assert list(paths.data_dir.glob(f"{name}.corrupt-*"))
    store = Store(paths)  # the good documents load, and the next change is saved
    assert store.warnings == []
    store.apply([Change("k2", "read", True)])
    assert Store(paths).states()["k2"].read
    if "k2" in content:
        assert Store(paths).states()["k2"].starred


def test_read_only_data_dir_opens_read_only(paths, capsys, monkeypatch, tmp_path):
    imported(paths)
    ids = tmp_path / "ids.txt"
    ids.write_text("2501.00001\n2501.00002\n")
    Store(paths).apply([Change("k", "starred", True)])

    def erofs(self):
        raise OSError(errno.EROFS, "Read-only file system", str(self.path))

    monkeypatch.setattr(lock_mod.FileLock, "__enter__", erofs)
    assert main(["list", "--view", "starred"]) == 0
    store = Store(paths)
    assert "read-only" in store.readonly_reason
    assert store.states()["k"].starred and len(store.papers()) == 52
    triage = Triage(store)
    triage.toggle([triage.keys[0]], "read")
    assert triage.close() is False  # returns at once: nothing can be saved here
    assert main(["import", str(ids)]) == 1
    assert "read-only" in capsys.readouterr().err


def test_immutable_data_dir_without_lock_files_is_readable(paths, monkeypatch, capsys):
    imported(paths)
    for lock in paths.data_dir.glob("*.lock"):
        lock.unlink()
    real_open = lock_mod.os.open

    def deny(path, flags, *args):
        if str(path).endswith(".lock"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(lock_mod.os, "open", deny)
    assert main(["list"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 52


def test_a_catalogue_that_cannot_be_opened_is_not_moved_aside(paths, monkeypatch):
    """'unable to open', 'disk I/O error': nothing says the file is damaged, so it stays
    where it is and the error is told (only a file SQLite finds malformed, or not ours,
    is kept aside and replaced)."""
    import sqlite3

    from reader.storage.catalogue import Catalogue
    from reader.storage.store import StoreError

    imported(paths).catalogue.close()

    def failing(self):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Catalogue, "_init_schema", failing)
    with pytest.raises(StoreError, match="disk I/O error"):
        Store(paths)
    assert not list(paths.data_dir.glob("*corrupt*"))
    monkeypatch.undo()
    assert len(Store(paths).papers()) == 52


@pytest.fixture
def read_only_mount(tmp_path):
    """A real read-only bind mount (root and mount(8) needed; skipped elsewhere):
    returns (src, mnt); what is written in src shows read-only in mnt."""
    import os
    import shutil
    import subprocess

    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a bind mount needs root")
    src, mnt = tmp_path / "src", tmp_path / "mnt"
    src.mkdir()
    mnt.mkdir()
    if subprocess.run(["mount", "--bind", str(src), str(mnt)], capture_output=True).returncode:
        pytest.skip("mount is not permitted here")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(mnt)], capture_output=True).returncode:
            pytest.skip("a read-only remount is not permitted here")
        yield src, mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)  # lazy: open connections do not keep it


def test_real_read_only_mount_is_read_not_taken_for_damage(read_only_mount, paths, monkeypatch, capsys, tmp_path):
    """SQLite cannot make a WAL file's shared-memory file on a read-only mount, so it
    said 'unable to open database file', and that was taken for a damaged catalogue to
    move aside: every command failed. It is read as it stands, and nothing is written."""
    from reader.paths import Paths

    src, mnt = read_only_mount
    store = imported(Paths(src, paths.config_dir))
    key, title = store.papers()[3].key, store.papers()[3].title
    store.apply([Change(key, "starred", True)])
    store.catalogue.close()
    before = {p.name: p.read_bytes() for p in src.iterdir()}
    monkeypatch.setenv("READER_DATA_DIR", str(mnt))
    assert main(["list", "--view", "starred"]) == 0
    assert title in capsys.readouterr().out
    assert main(["list"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 52
    ro = Store(Paths(mnt, paths.config_dir))
    assert "read-only" in ro.readonly_reason and len(ro.papers()) == 52
    triage = Triage(ro)
    triage.toggle([triage.keys[0]], "read")
    assert triage.close() is False
    ids = tmp_path / "ids.txt"
    ids.write_text("2501.00001\n")
    assert main(["import", str(ids)]) == 1
    assert "read-only" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in src.iterdir()} == before


def test_immutable_data_dir_with_its_lock_files_is_read(paths, monkeypatch, capsys):
    """A trial found an immutable data dir (chattr +i) unreadable once library.db.lock
    existed (every used data dir has it): the lock was taken, SQLite could not make its
    shared-memory file, and every command said 'cannot be read'."""
    import shutil
    import subprocess

    if shutil.which("chattr") is None:
        pytest.skip("no chattr")
    imported(paths).catalogue.close()
    assert (paths.data_dir / "library.db.lock").exists()
    if subprocess.run(["chattr", "+i", str(paths.data_dir)], capture_output=True).returncode:
        pytest.skip("chattr +i is not permitted here")
    try:
        assert main(["list"]) == 0
        assert len(capsys.readouterr().out.splitlines()) == 52
        assert "changes cannot be saved" in Store(paths).readonly_reason
    finally:
        subprocess.run(["chattr", "-i", str(paths.data_dir)], capture_output=True)


def test_read_only_mount_with_a_write_ahead_log_says_what_to_do(read_only_mount, paths, monkeypatch, capsys):
    """A catalogue copied mid-write (its -wal holds commits, no -shm): reading the file
    alone would miss them, so the CLI says how to read it instead of showing less."""
    import shutil
    import sqlite3

    from reader.paths import Paths

    src, mnt = read_only_mount
    work = Paths(paths.data_dir, paths.config_dir)
    imported(work).catalogue.close()
    held = sqlite3.connect(work.catalogue)  # a reader still running: its log is not folded back
    held.execute("PRAGMA wal_autocheckpoint=0")
    held.execute("UPDATE papers SET title = title || ' (v2)' WHERE id = 1")
    held.commit()
    for name in ("library.db", "library.db-wal"):
        shutil.copy(work.data_dir / name, src / name)
    held.close()
    monkeypatch.setenv("READER_DATA_DIR", str(mnt))
    with pytest.raises(SystemExit) as end:
        main(["list"])
    assert end.value.code == 1
    err = capsys.readouterr().err
    assert "library.db-wal holds changes" in err and "READER_DATA_DIR" in err and len(err.splitlines()) == 1


# -- 5. escape sequences never reach the terminal from the CLI ------------------------
def test_cli_text_and_json_never_carry_escapes(paths, capsys):
    from reader.model import Paper

    Store(paths).import_papers([
        Paper(key="t:1", title="Evil \x1b]0;pwned\x07 title \u202egnp.exe"),
        Paper(key="t:2", title="Evil twin \x9b31m"),
    ])
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "\x9b" not in out and "Evil" in out
    assert main(["list", "--json"]) == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out and "\x9b" not in out and "\\u202e" in out
    assert json.loads(out.splitlines()[0])["title"].endswith("\u202egnp.exe")  # value unchanged
    assert main(["cite", "Evil"]) == 2
    err = capsys.readouterr().err
    assert "2 papers match" in err and "\x1b" not in err and "\u202e" not in err and "\x9b" not in err


# -- 7. a generation stamp, not (inode, mtime, size), tells versions apart ------------
def test_same_size_write_seen_even_when_file_times_and_inodes_repeat(paths, monkeypatch):
    """Coarse clocks (ext4 before 6.13, FAT, SMB) and inode reuse make two versions of
    the file look identical to stat(): simulate that, and no update may be missed."""
    real_stat = files_mod.os.fstat

    class Frozen:
        def __init__(self, st):
            self.st_ino, self.st_mtime_ns, self.st_size = 1, 0, st.st_size

    monkeypatch.setattr(files_mod.os, "fstat", lambda fd: Frozen(real_stat(fd)))
    a, b = Store(paths), Store(paths)
    a.apply([Change("p", "note", "b000", ts=1000.0), Change("q", "note", "a000", ts=1000.0)])
    lost, sizes = 0, set()
    for i in range(100, 500):  # every write the same size: same-length values and stamps
        b.apply([Change("p", "note", f"b{i}", ts=1000.0 + i)])
        a.apply([Change("q", "note", f"a{i}", ts=1000.0 + i)])  # a reads (cached?) and writes back
        if i < 200:
            continue  # the generation counter has three digits from here on
        sizes.add(paths.state.stat().st_size)
        if Store(paths).states()["p"].note != f"b{i}":
            lost += 1
    assert len(sizes) == 1  # stat() could not have told the versions apart
    assert lost == 0


def test_every_write_carries_a_new_generation(paths):
    store = Store(paths)
    store.apply([Change("p", "starred", True)])
    first = files_mod.identity(paths.state)
    store.apply([Change("p", "starred", False)])
    second = files_mod.identity(paths.state)
    assert first[0] + 1 == second[0] and first[1] != second[1]


def test_a_change_from_elsewhere_read_by_our_own_save_still_shows_here(paths):
    """Another instance unarchives a paper; this one saves a star a moment later, merging
    into that newer file. The file was right, but this instance's marks never took the
    unarchive in (its own write made the file look read): its counts and views stayed wrong
    for good (a trial found it with two instances on one data dir)."""
    imported(paths)
    here = Triage(Store(paths), background=False)
    there = Triage(Store(paths), background=False)
    a, b = here.keys[0], here.keys[1]
    there.toggle([a], "archived")
    here.refresh_from_disk()
    assert here.state(a).archived and here.counts()["archived"] == 1
    there.toggle([a], "archived")  # back
    here.toggle([b], "starred")  # saved over the newer file, before any refresh here
    changed, _new = here.refresh_from_disk()
    assert a in changed and not here.state(a).archived and here.counts()["archived"] == 0
    assert here.refresh_from_disk() == ([], 0)  # and then nothing more to fold in
    assert Store(paths).states()[b].starred


def _autosave(paths, n, out):
    from reader.drafts import drafts_of, save_draft

    lost = 0
    for i in range(n):
        save_draft(paths, "P", f"P v{i}", "")
        d = drafts_of(paths, "P")[0]
        lost += d is None or d["text"] != f"P v{i}"
    out.put(lost)


def _save_and_close(paths, stop):
    from reader.drafts import drop_draft, save_draft

    while not stop.is_set():
        save_draft(paths, "Q", "Q text", "")
        drop_draft(paths, "Q")


def test_two_instances_typing_notes_keep_each_others_drafts(paths):
    """A review found drafts.json locked between threads only: another instance's save
    or close wrote back its stale copy of the file, or removed it, 175 times in 500."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    out, stop = ctx.Queue(), ctx.Event()
    other = ctx.Process(target=_save_and_close, args=(paths, stop))
    other.start()
    try:
        _autosave(paths, 300, out)
    finally:
        stop.set()
        other.join(timeout=30)
    assert out.get() == 0


def test_restoring_a_rescue_file_puts_back_its_changes_and_keeps_later_ones(paths, request, capsys):
    """A review found `reader restore <rescue file>`, as the exit message says, replacing
    the state file with that session's view: every change made since was gone."""
    from reader.cli import main

    s = imported(paths)
    keys = [p.key for p in s.papers()[:3]]
    disk_full = request.getfixturevalue("disk_full")
    a = Triage(Store(paths))
    a.toggle([keys[0]], "starred")  # cannot be saved
    assert not a.close(0.3)
    rescue = rescue_file(a.store, a.unsaved(), [paths.config_dir])
    disk_full["on"] = False
    b = Triage(Store(paths))  # the next session
    b.set_note(keys[1], "a day of notes")
    b.toggle([keys[2]], "read")
    assert b.close(2)
    assert main(["restore", str(rescue)]) == 0
    assert "merged 1 unsaved change" in capsys.readouterr().out
    st = Store(paths).states()
    assert st[keys[0]].starred and st[keys[1]].note == "a day of notes" and st[keys[2]].read


def test_restore_while_the_app_runs_shows_what_was_restored(paths, capsys):
    """A review found a running app folding in only what was newer than what it showed:
    after `reader restore` it kept the marks the restore had undone."""
    from reader.backup import backup_state, list_backups
    from reader.cli import main

    s = imported(paths)
    keys = [p.key for p in s.papers()[:3]]
    s.apply([Change(keys[0], "note", "the note I want back")])
    backup_state(paths)
    good = list_backups(paths)[-1]
    app = Triage(Store(paths))
    app.set_note(keys[0], "")  # deleted by mistake
    app.toggle([keys[1]], "starred")
    app.flush()
    assert main(["restore", str(good)]) == 0
    changed, _new = app.refresh_from_disk()
    assert set(changed) >= {keys[0], keys[1]}
    assert app.state(keys[0]).note == "the note I want back" and not app.state(keys[1]).starred
    assert app.counts()["starred"] == 0 and app.counts()["noted"] == 1
    app.set_note(keys[2], "after the restore")  # later changes are saved over the restored file
    assert app.close(2)
    st = Store(paths).states()
    assert st[keys[0]].note == "the note I want back" and st[keys[2]].note == "after the restore"


@pytest.mark.parametrize("damage", ["empty", "removed"])
def test_a_state_file_emptied_or_removed_while_the_app_runs_is_written_again(paths, damage):
    """A review found an emptied state file taken for a new one: the next save wrote only
    its own change, and every other mark the app showed was gone at the next start."""
    s = imported(paths)
    keys = [p.key for p in s.papers()[:6]]
    s.apply([Change(k, "starred", True) for k in keys[:5]])
    told = []
    app = Triage(Store(paths), on_saved=lambda info: told.extend(info["warnings"]))
    app.toggle([keys[5]], "read")
    app.flush()
    if damage == "empty":
        paths.state.write_bytes(b"")
    else:
        paths.state.unlink()
    app.toggle([keys[5]], "later")
    app.flush()
    st = Store(paths).states()
    assert sum(x.starred for x in st.values()) == 5 and st[keys[5]].read and st[keys[5]].later
    assert any({"empty": "emptied", "removed": "removed"}[damage] in n for n in told)
    app.close()


def test_restoring_the_oldest_of_ten_backups(paths, capsys):
    """The backup restore takes first pruned the oldest backup, the very file being
    restored, which then read as empty: restore failed."""
    from reader.backup import KEEP, backup_state, list_backups
    from reader.cli import main

    s = imported(paths)
    key = s.papers()[0].key
    for i in range(KEEP):
        s.apply([Change(key, "note", f"v{i}")])
        backup_state(paths)
    s.apply([Change(key, "note", "now")])
    assert main(["restore", str(list_backups(paths)[0])]) == 0
    assert Store(paths).states()[key].note == "v0"


def test_a_draft_being_typed_in_another_instance_is_neither_offered_nor_dropped_here(paths):
    """A second trial found instance B offering the draft A was still typing as
    'restored', and B's discard deleting it: A, killed later, lost its text."""
    import subprocess
    import sys

    from reader.drafts import drafts_of, drop_draft, save_draft

    paths.data_dir.mkdir(parents=True, exist_ok=True)
    other = subprocess.Popen([sys.executable, "-c",
                              "import sys; from pathlib import Path; from reader.paths import Paths; "
                              "from reader.drafts import save_draft; "
                              f"save_draft(Paths(Path({str(paths.data_dir)!r}), Path({str(paths.config_dir)!r})), "
                              "'k', 'A is typing this', ''); print('ready', flush=True); sys.stdin.read()"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "ready"
        assert drafts_of(paths, "k")[0] is None and drafts_of(paths, "k")[1]
        save_draft(paths, "k", "B's own words", "")
        assert drafts_of(paths, "k")[0]["text"] == "B's own words"  # each keeps its own
        drop_draft(paths, "k")  # B saves or discards
        assert drafts_of(paths, "k")[0] is None and drafts_of(paths, "k")[1]
    finally:
        other.kill()
        other.wait()
    assert drafts_of(paths, "k")[0]["text"] == "A is typing this"  # A ended: its text is offered
    assert not drafts_of(paths, "k")[1]
    drop_draft(paths, "k")
    assert drafts_of(paths, "k")[0] is None


def test_a_state_file_that_never_existed_is_not_reported_removed(paths, disk_full):
    """A second trial found 'state.json: removed; wrote a new one' when the first save of
    a new data dir failed: the session's unsaved change had been taken for marks read."""
    s = imported(paths)
    key = s.papers()[0].key
    told = []
    app = Triage(Store(paths), on_saved=lambda info: told.extend(info["warnings"]),
                 on_error=told.append)
    app.toggle([key], "starred")
    assert not app.flush(0.5)
    disk_full["on"] = False
    assert app.flush(5)
    assert not any("removed" in m or "emptied" in m for m in told), told
    assert Store(paths).states()[key].starred
    app.close()
