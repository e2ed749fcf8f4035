"""A note written in $EDITOR (``e``) is a draft while the editor runs: a window closed
before the editor exits leaves what it wrote (``:w``) as a draft, mentioned at the next start
and offered by the note editor (trial 10: it was left in an unnamed file in /tmp)."""

from __future__ import annotations

import contextlib
import json

from reader import drafts
from reader.tui.app import ReaderApp

from .conftest import started
from .test_behaviours import editor_script, messages, until


async def test_the_editor_file_is_a_draft_while_the_editor_runs(paths, tmp_path, monkeypatch):
    probe = tmp_path / "drafts-while-editing.json"
    body = (f'printf "written in vi\\n" >> "$1"\n'
            f'cp "{paths.data_dir}/drafts.json" "{probe}"\n'
            f'echo "$1" > "{tmp_path}/file-name"\n')
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, body))
    monkeypatch.delenv("VISUAL", raising=False)
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
        key = app.triage.keys[0]
        await pilot.press("e")
        await until(pilot, lambda: "Note saved" in messages(app))
    (draft,) = json.loads(probe.read_text()).values()
    name = (tmp_path / "file-name").read_text().strip()
    assert draft["key"] == key and draft["file"] == name and name.startswith(str(paths.data_dir))
    assert not (paths.data_dir / "drafts.json").exists()  # saved: no draft, no file left
    assert not list((paths.data_dir / "editing").iterdir())


def test_a_closed_windows_editor_text_is_a_draft_left_behind(paths, monkeypatch):
    paths.data_dir.mkdir(parents=True)
    file = paths.data_dir / "editing" / "reader-note-x.md"
    file.parent.mkdir()
    file.write_text("the old note")
    monkeypatch.setattr(drafts, "_ME", "999999999:1")  # the process that ran the editor...
    monkeypatch.setattr(drafts, "_me", lambda: drafts._ME)
    drafts.save_draft(paths, "k1", "the old note", "the old note", file=file)
    monkeypatch.setattr(drafts, "_me", lambda: "1:2")  # ...has ended; this is the next start
    monkeypatch.setattr(drafts, "_writer_running", lambda writer: False)
    assert drafts.left_behind(paths) == []  # nothing written in the editor yet
    file.write_text("the old note\nand what I wrote before the window closed\n")
    assert drafts.left_behind(paths) == ["k1"]
    found, elsewhere = drafts.drafts_of(paths, "k1")
    assert found["text"] == "the old note\nand what I wrote before the window closed" and not elsewhere
    drafts.drop_draft(paths, "k1")
    assert not file.exists() and drafts.left_behind(paths) == []
