"""Timings seen from outside the process, the way a user sees them: the app runs in a real
tmux server (private socket, 120x40), and the screen is read with ``capture-pane``.

- first paint: from spawning the process until the header and the first rows are on screen
  (the median of five starts);
- a key (``j``): until the screen changes at all (the highlight) and until the detail pane
  (the right half of its first lines) shows the next paper.

B0 is a bare Textual app measured the same way (a Static and a Footer; ``j`` rewrites the
Static), so the capture overhead (a few ms per poll) is in both and the difference is the app.
Used by ``run.py`` when tmux is installed; ``python bench/outside.py DATA_DIR`` runs it alone.
"""

from __future__ import annotations

import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

B0_APP = '''
from textual.app import App
from textual.binding import Binding
from textual.widgets import Footer, Static

class B0(App):
    BINDINGS = [Binding("j", "next", "Next")]
    n = 0
    def compose(self):
        yield Static(self.line(), id="s")
        yield Footer()
    def line(self):
        return f"\\u25cf paper {self.n}" + " " * 60 + f"paper {self.n} detail"
    def action_next(self):
        self.n += 1
        self.query_one("#s", Static).update(self.line())

B0().run()
'''


class Tmux:
    def __init__(self, command: str, width: int = 120, height: int = 40):
        self.sock = f"bench{os.getpid()}"
        self._tm("kill-server", check=False)
        self.t0 = time.perf_counter()
        self._tm("-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", str(width), "-y", str(height), command)

    def _tm(self, *args: str, check: bool = True) -> str:
        out = subprocess.run(["tmux", "-L", self.sock, *args], capture_output=True, text=True)
        if check and out.returncode:
            raise RuntimeError(out.stderr.strip())
        return out.stdout

    def screen(self, escapes: bool = False) -> str:
        return self._tm("capture-pane", "-p", *(["-e"] if escapes else []), "-t", "b")

    def keys(self, *keys: str) -> None:
        self._tm("send-keys", "-t", "b", *keys)

    def pipe_to(self, path: str) -> None:
        """Copy the pane's output from now on to ``path`` (instead of where it went before)."""
        self._tm("pipe-pane", "-t", "b")
        self._tm("pipe-pane", "-t", "b", f"cat >> {shlex.quote(path)}")

    def close(self) -> None:
        self._tm("kill-server", check=False)


def _wait(pred, timeout: float) -> float | None:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if pred():
            return time.perf_counter() - t0
    return None


def measure(command: str, marker: str, keys: int = 25, detail_col: int = 60, starts: int = 5,
            search: bool = False, moves: dict[str, tuple[str, ...]] | None = None) -> dict:
    """First paint (median of ``starts`` starts) and ``j`` latencies (ms) of ``command`` in tmux."""
    paints = []
    for i in range(starts):
        tmux = Tmux(command)
        if _wait(lambda t=tmux: marker in t.screen(), 60) is None:
            screen = tmux.screen()
            tmux.close()
            raise RuntimeError(f"{command!r}: nothing on screen after 60 s:\n{screen}")
        paints.append((time.perf_counter() - tmux.t0) * 1000)
        if i < starts - 1:
            tmux.close()
            time.sleep(0.5)
    first_paint = statistics.median(paints)
    try:
        time.sleep(1.5)  # let start-up work (backups, the first save) finish
        first, detail = [], []
        for _ in range(keys):
            before_e, before = tmux.screen(True), tmux.screen()
            right = [line[detail_col:] for line in before.splitlines()[:6]]
            tmux.keys("j")
            t0 = time.perf_counter()
            t_first = t_detail = None
            while time.perf_counter() - t0 < 3 and (t_first is None or t_detail is None):
                now = time.perf_counter() - t0
                if t_first is None and tmux.screen(True) != before_e:
                    t_first = now
                if t_detail is None and [line[detail_col:] for line in tmux.screen().splitlines()[:6]] != right:
                    t_detail = time.perf_counter() - t0
            first.append((t_first or 3) * 1000)
            detail.append((t_detail or 3) * 1000)
            time.sleep(0.25)
        output = _output_latency(tmux, keys)
        repeat = _repeat_lag(tmux)
        letters = _search_latency(tmux) if search else None
        # view switch, star, sort (keys of the reader only): to the output's last byte (a
        # multiple of 4 keys: the star and the sort end where they began). Last: a held j
        # right after S lags 120-175 ms the first time (last session's code too)
        others = {name: _output_latency(tmux, keys - keys % 4, cycle) for name, cycle in (moves or {}).items()}
    finally:
        tmux.close()

    def stats(xs: list[float]) -> dict:
        xs = sorted(xs)
        return {"median": statistics.median(xs), "p90": xs[int(len(xs) * 0.9)]}

    return {"first_paint_ms": first_paint, "first_paints_ms": paints, "key_first_change_ms": stats(first),
            "key_detail_ms": stats(detail), "key_output_ms": {k: stats(v) for k, v in output.items()},
            "key_repeat": repeat, **({"search_letter_ms": stats(letters)} if letters else {}),
            **({"move_output_ms": {k: {e: stats(x) for e, x in v.items()} for k, v in others.items()}} if others else {})}


def _search_latency(tmux: Tmux, word: str = "spars", rounds: int = 3) -> list[float]:
    """``/`` then a word typed a letter at a time (0.25 s apart): each letter until the
    output it causes settles (the letter and the results it brings)."""
    fd, name = tempfile.mkstemp(suffix=".out")
    os.close(fd)
    out: list[float] = []
    try:
        tmux.pipe_to(name)
        for _ in range(rounds):
            tmux.keys("/")
            time.sleep(0.5)
            for letter in word:
                size = os.stat(name).st_size
                tmux.keys(letter)
                t0 = time.perf_counter()
                last = None
                while (now := time.perf_counter()) - t0 < 3:
                    if (grown := os.stat(name).st_size) != size:
                        size, last = grown, now
                    elif last is not None and now - last > 0.03:
                        break
                    time.sleep(0.0003)
                out.append(((last or now) - t0) * 1000)
                time.sleep(0.25)
            tmux.keys("Escape")
            time.sleep(0.5)
    finally:
        os.unlink(name)
    return out


def _repeat_lag(tmux: Tmux, rate: float = 30, n: int = 40) -> dict:
    """``j`` held down (a keyboard's auto-repeat, ``rate`` keys a second): from the last key
    until the output settles. An app that keeps up is one frame behind; one that does not
    is still drawing old papers after the key is released."""
    fd, name = tempfile.mkstemp(suffix=".out")
    os.close(fd)
    try:
        tmux.pipe_to(name)
        time.sleep(0.3)
        t0 = time.perf_counter()
        for i in range(n):
            while time.perf_counter() < t0 + i / rate:
                time.sleep(0.0005)
            tmux.keys("j")
        sent = time.perf_counter()
        size, last = os.stat(name).st_size, sent
        while time.perf_counter() - last < 0.3:
            if (grown := os.stat(name).st_size) != size:
                size, last = grown, time.perf_counter()
            time.sleep(0.0005)
    finally:
        os.unlink(name)
    return {"rate_per_s": rate, "keys": n, "lag_after_last_key_ms": max(0.0, last - sent) * 1000}


def _output_latency(tmux: Tmux, keys: int, cycle: tuple[str, ...] = ("j",)) -> dict[str, list[float]]:
    """A key (``j``, or the keys of ``cycle`` in turn) until the app's output for it reaches
    tmux (``pipe-pane`` copies the pane's output to a file, watched with ``stat``): its first
    byte, and the last byte of the burst (nothing more for 10 ms). Polling ``capture-pane``
    spawns a process every few ms, which takes a core of this 2-core machine from the app; a
    ``stat`` costs microseconds."""
    fd, name = tempfile.mkstemp(suffix=".out")
    os.close(fd)
    out: dict[str, list[float]] = {"first": [], "done": []}
    try:
        tmux.pipe_to(name)
        time.sleep(0.3)
        for i in range(keys):
            size = os.stat(name).st_size
            tmux.keys(cycle[i % len(cycle)])
            t0 = time.perf_counter()
            first = last = None
            while (now := time.perf_counter()) - t0 < 3:
                grown = os.stat(name).st_size
                if grown != size:
                    size, last = grown, now
                    first = first or now
                elif last is not None and now - last > 0.01:
                    break
                time.sleep(0.0003)
            out["first"].append(((first or now) - t0) * 1000)
            out["done"].append(((last or now) - t0) * 1000)
            time.sleep(0.25)
    finally:
        os.unlink(name)
    return out


def reader_command(data: Path, config: Path) -> str:
    env = f"READER_DATA_DIR={shlex.quote(str(data))} READER_CONFIG_DIR={shlex.quote(str(config))}"
    return f"env {env} {shlex.quote(sys.executable)} -m reader"


def measure_reader(data: Path) -> dict:
    """The app on ``data`` with a fresh config (default sort and theme)."""
    with tempfile.TemporaryDirectory() as config:
        # at the top: the app reopens where it was closed (a closed window too), and j on the
        # last paper of a small library changes nothing (52 papers: "3000 ms")
        (data / "session.json").unlink(missing_ok=True)
        # 2/1: the Unread view and back; s twice: star, unstar; S: the four sorts in turn
        moves = {"view": ("2", "1"), "star": ("s",), "sort": ("S",)}
        return measure(reader_command(data, Path(config)), "1 All ", search=True, moves=moves)


def baseline() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "b0.py"
        app.write_text(B0_APP)
        return measure(f"{shlex.quote(sys.executable)} {shlex.quote(str(app))}", "paper 0")


def available() -> bool:
    return shutil.which("tmux") is not None


if __name__ == "__main__":
    import json

    print(json.dumps({"B0": baseline(), "reader": measure_reader(Path(sys.argv[1]))}, indent=2))
