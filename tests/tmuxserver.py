"""A private tmux server for tests that need a real terminal (``tmux -L <random> -f /dev/null``)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid

TMUX = shutil.which("tmux")


class TmuxServer:
    def __init__(self, paths):
        self.name = f"reader-test-{uuid.uuid4().hex[:8]}"
        self.paths = paths
        self.env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE", "STY")}

    def __call__(self, *args: str, check: bool = True) -> str:
        out = subprocess.run(["tmux", "-L", self.name, "-f", "/dev/null", *args],
                             capture_output=True, text=True, env=self.env, timeout=20)
        if check and out.returncode:
            raise AssertionError(f"tmux {args}: {out.stderr}")
        return out.stdout

    def start_reader(self, *args: str, ready: str = "Cite") -> None:
        """``reader ARGS`` in a 120x35 pane, with tmux's clipboard on; waits for ``ready``."""
        cmd = " ".join(shlex.quote(a) for a in (
            "env", f"READER_DATA_DIR={self.paths.data_dir}", f"READER_CONFIG_DIR={self.paths.config_dir}",
            sys.executable, "-m", "reader", *args))
        self("new-session", "-d", "-x", "120", "-y", "35", cmd)
        self("set", "-g", "set-clipboard", "on")
        self.wait_for(ready)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < end:
            screen = self("capture-pane", "-p", check=False)
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared on the tmux screen:\n{screen}")

    def buffer(self, timeout: float = 10) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self("list-buffers", check=False).strip():
                return self("show-buffer")
            time.sleep(0.1)
        raise AssertionError("nothing reached tmux's paste buffer:\n" + self("capture-pane", "-p", check=False))

    def quit(self) -> None:
        self("send-keys", "q")
        end = time.monotonic() + 20
        while time.monotonic() < end and self("list-sessions", check=False).strip():
            time.sleep(0.1)

    def kill(self) -> None:
        self("kill-server", check=False)
