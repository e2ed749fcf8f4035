"""Closing terminal windows right after typing (a real tmux `kill-window`, which
hangs up the terminal): every reader process saves and ends. Before the watchdog,
about one in five stayed alive for good, blocked in Textual's shutdown.
Skipped where tmux is missing."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.parsers import parse_file
from reader.paths import Paths
from reader.storage.store import Store

from .conftest import SAMPLE

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
WINDOWS = 8


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie has ended; only its parent has not collected it yet
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except OSError:
        return True


def _reader_command(paths: Paths, pidfile: Path, env: str = "", after: str = "") -> str:
    """A shell command line running reader on ``paths`` as from a prompt (the shell's
    child), writing its pid to ``pidfile``; ``env``: more VAR=value words."""
    return (
        f"env -u COLUMNS -u LINES -u PYTEST_CURRENT_TEST {env} "
        f"READER_DATA_DIR={shlex.quote(str(paths.data_dir))} READER_CONFIG_DIR={shlex.quote(str(paths.config_dir))} "
        f"{shlex.quote(sys.executable)} -c "
        + shlex.quote(f"import os; open({str(pidfile)!r}, 'w').write(str(os.getpid())); "
                      "from reader.cli import main; raise SystemExit(main([]))")
        + after
    )


def _screen(tmux: list[str], target: str = "s") -> str:
    return subprocess.run([*tmux, "capture-pane", "-p", "-t", target], capture_output=True, text=True).stdout


def _wait_for(tmux: list[str], text: str, target: str = "s") -> bool:
    """Until ``text`` is on screen (spaces and line ends counted as one space), 10 s at most."""
    for _ in range(200):
        if text in " ".join(_screen(tmux, target).split()):
            return True
        time.sleep(0.05)
    return False


def _sample_in_tmux(tmp_path: Path, name: str, env: str) -> tuple[list[str], Paths, Path]:
    """reader on the sample library, alone in a new tmux server (session "s", 120x35)."""
    tmux = ["tmux", "-L", f"reader-{name}-{os.getpid()}", "-f", "/dev/null"]
    paths = Paths(tmp_path / "data", tmp_path / "config")
    Store(paths).import_papers(parse_file(SAMPLE))
    pidfile = tmp_path / "pid"
    inner = _reader_command(paths, pidfile, env, "; sleep 30")
    subprocess.run([*tmux, "new-session", "-d", "-s", "s", "-x", "120", "-y", "35", "sh", "-c", inner], check=True)
    return tmux, paths, pidfile


def test_kill_window_right_after_typing_saves_and_ends(tmp_path):
    tmux = ["tmux", "-L", f"reader-test-{os.getpid()}", "-f", "/dev/null"]
    subprocess.run([*tmux, "new-session", "-d", "-s", "s", "-x", "120", "-y", "35", "sleep", "600"], check=True)
    windows = []
    try:
        for w in range(WINDOWS):
            paths = Paths(tmp_path / f"d{w}", tmp_path / f"c{w}")
            Store(paths).import_papers(parse_file(SAMPLE))
            env = {"READER_DATA_DIR": str(paths.data_dir), "READER_CONFIG_DIR": str(paths.config_dir)}
            pidfile = tmp_path / f"pid{w}"
            inner = (  # as from a shell prompt: reader is the shell's child, not the shell itself
                "env -u COLUMNS -u LINES -u PYTEST_CURRENT_TEST " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
                + f" {shlex.quote(sys.executable)} -c "
                + shlex.quote(f"import os; open({str(pidfile)!r}, 'w').write(str(os.getpid())); "
                              "from reader.cli import main; raise SystemExit(main([]))")
                + "; sleep 0"
            )
            subprocess.run([*tmux, "new-window", "-d", "-t", "s:", "-n", f"w{w}", "sh", "-c", inner], check=True)
            windows.append((f"s:w{w}", pidfile, paths))
        for _ in range(400):  # every list is on screen
            shown = [
                "library 52" in subprocess.run([*tmux, "capture-pane", "-p", "-t", t], capture_output=True, text=True).stdout
                for t, _, _ in windows
            ]
            if all(shown):
                break
            time.sleep(0.05)
        assert all(shown)
        time.sleep(0.5)  # first paint comes before the input thread reads keys
        for _ in range(30):  # type in every window (changes saving, screens redrawing) ...
            for target, _, _ in windows:
                subprocess.run([*tmux, "send-keys", "-t", target, "j", "s", "j"], check=True)
        for target, _, _ in windows:  # ... and close them at once
            subprocess.run([*tmux, "kill-window", "-t", target], check=True)
        pids = [int(pidfile.read_text()) for _, pidfile, _ in windows]
        for _ in range(300):
            if not any(alive(p) for p in pids):
                break
            time.sleep(0.05)
        survivors = [p for p in pids if alive(p)]
        for p in survivors:
            os.kill(p, 9)
        assert not survivors, f"{len(survivors)} of {WINDOWS} reader processes still running after their window closed"
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    for _, _, paths in windows:
        store = Store(paths)  # every state file loads, with some of the typed stars
        assert store.warnings == [] and any(s.starred for s in store.states().values())


def test_note_in_external_editor_in_a_real_terminal(tmp_path):
    """`e` hands the terminal to $EDITOR (Textual's suspend stops its output thread). The
    watchdog once took that for a terminal gone away and ended the app while the editor ran;
    now the app comes back, shows the note, saves it and keeps running."""
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsleep 1\nprintf 'written by the editor' > \"$1\"\n")
    editor.chmod(0o755)
    tmux, paths, pidfile = _sample_in_tmux(tmp_path, "ed", f"EDITOR={shlex.quote(str(editor))}")

    try:
        assert _wait_for(tmux, "library 52")
        time.sleep(0.5)
        subprocess.run([*tmux, "send-keys", "-t", "s", "e"], check=True)
        assert _wait_for(tmux, "written by the editor"), _screen(tmux)  # back in the app, the note shown
        time.sleep(1.0)  # several watchdog polls after the resume
        pid = int(pidfile.read_text())
        assert alive(pid)
        subprocess.run([*tmux, "send-keys", "-t", "s", "q"], check=True)
        for _ in range(100):
            if not alive(pid):
                break
            time.sleep(0.05)
        assert not alive(pid)
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    notes = [s.note for s in Store(paths).states().values() if s.note]
    assert notes == ["written by the editor"]


@pytest.mark.parametrize("editor", ["reader-no-such-editor --wait", "{noexec}"])
def test_an_editor_that_cannot_run_leaves_the_app_running(tmp_path, editor):
    """Trial 9: with $EDITOR set to an editor not installed here (a GUI one, over SSH),
    `e` ended the app silently: the error came inside Textual's suspend, which then never
    resumed. A file that is there but cannot run is caught after the terminal came back."""
    noexec = tmp_path / "noexec"
    noexec.write_text("not a program")
    noexec.chmod(0o755)  # found, but the kernel cannot run it
    editor = editor.format(noexec=noexec)
    tmux, paths, pidfile = _sample_in_tmux(tmp_path, "noed", f"EDITOR={shlex.quote(editor)} VISUAL=")

    try:
        assert _wait_for(tmux, "library 52")
        time.sleep(0.5)
        subprocess.run([*tmux, "send-keys", "-t", "s", "e"], check=True)
        assert _wait_for(tmux, "Cannot run"), _screen(tmux)
        pid = int(pidfile.read_text())
        time.sleep(0.5)
        assert alive(pid) and "library 52" in _screen(tmux)
        subprocess.run([*tmux, "send-keys", "-t", "s", "s"], check=True)  # keys still work
        assert _wait_for(tmux, "Starred 1")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def test_a_closed_window_remembers_where_the_reader_was(tmp_path):
    """Trial 9: after `kill-window` the next start began at the first paper (the session
    was saved from the event loop, which a closed window's process may never run again)."""
    import json

    tmux = ["tmux", "-L", f"reader-sess-{os.getpid()}", "-f", "/dev/null"]
    paths = Paths(tmp_path / "data", tmp_path / "config")
    Store(paths).import_papers(parse_file(SAMPLE))
    pidfile = tmp_path / "pid"
    inner = _reader_command(paths, pidfile)
    subprocess.run([*tmux, "new-session", "-d", "-s", "s", "-x", "120", "-y", "35", "sleep", "600"], check=True)
    try:
        subprocess.run([*tmux, "new-window", "-d", "-t", "s:", "-n", "w", "sh", "-c", inner], check=True)
        for _ in range(200):
            if "library 52" in subprocess.run([*tmux, "capture-pane", "-p", "-t", "s:w"], capture_output=True,
                                             text=True).stdout:
                break
            time.sleep(0.05)
        time.sleep(0.5)
        subprocess.run([*tmux, "send-keys", "-t", "s:w", "j", "j", "j"], check=True)
        time.sleep(0.5)
        pid = int(pidfile.read_text())
        subprocess.run([*tmux, "kill-window", "-t", "s:w"], check=True)
        for _ in range(100):
            if not alive(pid):
                break
            time.sleep(0.05)
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    fourth = [p.key for p in Store(paths).papers()][3]
    assert json.loads(paths.session.read_text())["key"] == fourth
