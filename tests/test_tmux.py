"""Closing the terminal window right after typing (a real tmux `kill-window`): the
changes are saved and the process ends, every time. Skipped where tmux is missing."""

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
from reader.storage.store import Store

from .conftest import SAMPLE

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie has ended; only its parent (tmux) has not collected it yet
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except OSError:
        return True


@pytest.mark.parametrize("trial", range(3))
def test_kill_window_right_after_typing_saves_and_ends(paths, tmp_path, trial):
    Store(paths).import_papers(parse_file(SAMPLE))
    keys = [p.key for p in Store(paths).papers()]
    socket = f"reader-test-{os.getpid()}-{trial}"
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    pidfile = tmp_path / "pid"
    env = {  # a clean terminal environment (pytest sets COLUMNS, which would win over the pane size)
        "PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/"), "LANG": "C.UTF-8",
        "READER_DATA_DIR": str(paths.data_dir), "READER_CONFIG_DIR": str(paths.config_dir),
    }
    inner = (
        f"echo $$ > {shlex.quote(str(pidfile))}; exec env -i TERM=$TERM "
        + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        + f" {shlex.quote(sys.executable)} -m reader"
    )
    # the session outlives the window, as when one terminal tab of several is closed
    subprocess.run([*tmux, "new-session", "-d", "-s", "s", "-x", "120", "-y", "35", "sleep", "600"], check=True)
    subprocess.run([*tmux, "new-window", "-t", "s:", "-n", "t", "sh", "-c", inner], check=True)
    try:
        for _ in range(300):  # the list is on screen
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", "s:t"], capture_output=True, text=True).stdout
            if "52 papers" in screen:
                break
            time.sleep(0.05)
        assert "52 papers" in screen, screen
        pid = int(pidfile.read_text())
        time.sleep(1.0)  # first paint comes before the input thread reads keys
        subprocess.run([*tmux, "send-keys", "-t", "s:t", *["s", "j"] * 10], check=True)
        for _ in range(200):  # the last keypress took effect on screen
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", "s:t"], capture_output=True, text=True).stdout
            if "3 Starred 10" in screen:
                break
            time.sleep(0.05)
        assert "3 Starred 10" in screen, screen
        # keep typing (the screen is redrawing, output is in flight) and close the window
        subprocess.run([*tmux, "send-keys", "-t", "s:t", *["j", "k", "G", "g"] * 25], check=True)
        subprocess.run([*tmux, "kill-window", "-t", "s:t"], check=True)
        for _ in range(300):
            if not alive(pid):
                break
            time.sleep(0.05)
        assert not alive(pid), "reader still running after its window was closed"
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    states = Store(paths).states()
    assert [k for k in keys if k in states and states[k].starred] == keys[:10]
