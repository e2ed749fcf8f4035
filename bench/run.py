"""Benchmarks for reader: ``python bench/run.py [--sizes 52,1000,10000,100000]``.

Everything is measured in one run on this machine and written to bench/results.json
with machine info; a Markdown table is printed for the README. Each size runs in
its own process (so peak RSS and startup are per size), and so does the B0
baseline: a bare Textual app (a Static and a Footer).

Definitions
- first paint: from App() construction to Textual's Ready event, "the first frame has
  been displayed" (headless run_test, in process); "from process start" adds interpreter
  start and imports.
- complete list: until the list holds every paper and a frame was drawn.
- key latency: handler + detail update + a full repaint of the screen, timed directly
  (not Pilot's fixed pauses); Textual normally repaints only dirty regions, so this is
  an upper bound.
- search per keystroke: the core filter over title+abstract+authors+notes+tags.
- star durable: toggle until the change is fsync'd by the background saver;
  "UI blocked" is the longest gap of a 1 ms ticker on the UI thread meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

T_PROCESS = time.perf_counter()
HERE = Path(__file__).resolve().parent
WORDS = ("attention transformer diffusion sparse autoencoder causal inference learning "
         "representation language model reasoning benchmark scaling retrieval graph neural "
         "optimization bayesian kernel variational agents reinforcement policy vision token").split()


def synth_title(rng: random.Random, i: int) -> str:
    n = rng.randint(8, 15)
    words = [rng.choice(WORDS).title() for _ in range(n)]
    title = " ".join(words) + f" {i}"
    return title[: rng.randint(60, 120)] + f" #{i}"


def synth_abstract(rng: random.Random) -> str:
    out = []
    while sum(len(s) for s in out) < 1500:
        out.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 24))).capitalize() + ".")
    return " ".join(out)


def hf_text(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    parts = ["Trending Papers", "", "Subscribe", ""]
    for i in range(n):
        parts += [synth_title(rng, i), "", synth_abstract(rng), ""]
    return "\n".join(parts)


def build_library(data: Path, n: int) -> int:
    """A library of n papers with state on 10 % (stars, later, some notes and tags)."""
    from reader.parsers import parse_text
    from reader.paths import Paths
    from reader.state import Change
    from reader.storage.store import Store

    text = hf_text(n)
    store = Store(Paths(data, data / "config"))
    papers = parse_text(text, "bench.txt")
    store.import_papers(papers)
    rng = random.Random(2)
    changes = []
    for p in rng.sample(papers, max(1, n // 10)):
        changes.append(Change(p.key, rng.choice(["read", "starred"]), True, 1.0))
        if rng.random() < 0.3:
            changes.append(Change(p.key, "note", "Worth a look: " + synth_abstract(rng)[:200], 1.0))
            changes.append(Change(p.key, "tags", ["bench", rng.choice(WORDS)], 1.0))
    store.apply(changes)
    return len(text.encode())


def frame(app) -> None:
    """Lay out and repaint the whole screen now: an upper bound of what Textual's
    next frame costs (it normally repaints only the dirty regions)."""
    screen = app.screen
    screen._refresh_layout()
    screen._compositor.render_update(full=True, screen_stack=app._background_screens)


async def measure_app(n: int, data: Path) -> dict:
    from reader.paths import Paths
    from reader.tui.app import ReaderApp

    marks: dict[str, float] = {}

    class App(ReaderApp):
        # Ready: "the DOM is ready and the first frame has been displayed". (Not on_mount:
        # Textual calls the handler of every class in the MRO, so overriding it would
        # run reader's own on_mount twice.)
        def on_ready(self) -> None:
            marks.setdefault("first_paint", time.perf_counter())

    os.environ["READER_DATA_DIR"] = str(data)
    t0 = time.perf_counter()
    app = App(Paths(data, data / "config"))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        marks["complete"] = time.perf_counter()
        screen = app.screen
        plist = screen.paper_list
        assert len(plist.rows) == n
        result = {
            "first_paint_s": marks["first_paint"] - t0,
            "first_paint_from_process_s": marks["first_paint"] - T_PROCESS,
            "complete_list_s": marks["complete"] - t0,
        }

        def timed(fn) -> float:
            samples = []
            for _ in range(5):
                t = time.perf_counter()
                fn()
                screen.show_detail_now()  # the (debounced) detail update
                frame(app)
                samples.append(time.perf_counter() - t)
            return sorted(samples)[2] * 1000

        keys = {
            "j": plist.action_cursor_down,
            "k": plist.action_cursor_up,
            "G": plist.action_last,
            "view switch": lambda: screen.action_view("starred" if screen.view == "all" else "all"),
            "s (star)": lambda: screen.action_toggle("starred"),
        }
        result["keys_ms"] = {name: timed(fn) for name, fn in keys.items()}
        screen.action_view("all")
        # a person takes a moment before searching; the app builds the index 1 s after
        # loading, in a thread (its cost is reported on its own as index_build_s)
        await asyncio.sleep(1.5)
        await app.workers.wait_for_complete()
        screen.action_search()
        per_key = []
        for q in ["s", "sp", "spa", "spar", "spars"]:
            t = time.perf_counter()
            screen.search_text = q
            frame(app)
            per_key.append((time.perf_counter() - t) * 1000)
        result["type_query_ms"] = per_key
        app.triage.flush()
    return result


def measure_search(n: int, data: Path) -> list[float]:
    from reader.paths import Paths
    from reader.triage import Triage

    triage = Triage.open(Paths(data, data / "config"), background=False)
    t = time.perf_counter()
    _ = triage.search_index  # built once (in the app: in a thread, 1 s after loading)
    index_ms = (time.perf_counter() - t) * 1000
    out = [index_ms]
    for q in ["t", "tr", "tra", "tran", "trans"]:
        t = time.perf_counter()
        triage.view("all", q)
        out.append((time.perf_counter() - t) * 1000)
    return out


def measure_import(n: int, tmp: Path) -> dict:
    from reader.parsers import parse_file
    from reader.paths import Paths
    from reader.storage.store import Store

    src = tmp / "import.txt"
    src.write_text(hf_text(n, seed=9))
    store = Store(Paths(tmp / "imp", tmp / "imp"))
    t = time.perf_counter()
    papers = parse_file(src)
    t_parse = time.perf_counter() - t
    store.import_papers(papers)
    total = time.perf_counter() - t
    return {"papers": len(papers), "parse_s": t_parse, "total_s": total, "papers_per_s": len(papers) / total,
            "bytes": src.stat().st_size}


async def measure_durable(states: int, tmp: Path) -> dict:
    """Toggle a star with ``states`` papers carrying state; time until fsync'd; UI gaps."""
    from reader.model import Paper
    from reader.paths import Paths
    from reader.state import Change
    from reader.storage.store import Store
    from reader.triage import Triage

    d = tmp / f"durable{states}"
    store = Store(Paths(d, d))
    store.import_papers([Paper(key=f"t:{i}", title=f"Paper {i}") for i in range(states + 1)])
    store.apply([Change(f"t:{i}", "read", True, 1.0) for i in range(states)])
    triage = Triage(store)
    samples, gaps = [], []
    async def ticker(done: asyncio.Event) -> float:
        """The longest gap between 1 ms ticks of the event loop (the UI thread)."""
        max_gap = 0.0
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            max_gap = max(max_gap, now - last)
            last = now
        return max_gap

    for _ in range(7):
        done = asyncio.Event()
        task = asyncio.create_task(ticker(done))
        await asyncio.sleep(0.01)
        t = time.perf_counter()
        triage.toggle([f"t:{states}"], "starred")
        while triage.saver.pending:
            await asyncio.sleep(0.0005)
        samples.append(time.perf_counter() - t)
        done.set()
        gaps.append(await task)
    triage.close()
    return {"durable_ms": sorted(samples)[3] * 1000, "ui_max_gap_ms": max(gaps) * 1000}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(n: int, data: Path) -> dict:
    """The app on a library built by another process, so peak RSS is the app's own."""
    result = {"size": n}
    result.update(asyncio.run(measure_app(n, data)))
    result["peak_rss_mb"] = peak_rss_mb()
    index_ms, *result["search_ms"] = measure_search(n, data)
    result["index_build_s"] = index_ms / 1000
    return result


def size_run(n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        built = sub(["--build", str(n), str(data)])
        result = sub(["--worker", str(n), str(data)])
        result["raw_text_bytes"] = built["raw_text_bytes"]
        result["library_file_bytes"] = (data / "library.json").stat().st_size
    result["import"] = sub(["--import-bench", str(n)])
    return result


def baseline() -> dict:
    from textual.app import App
    from textual.widgets import Footer, Static

    marks = {}

    class B0(App):
        def compose(self):
            yield Static("baseline")
            yield Footer()

        def on_ready(self):
            marks.setdefault("first_paint", time.perf_counter())

    async def run():
        t0 = time.perf_counter()
        app = B0()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
        return {"first_paint_s": marks["first_paint"] - t0, "first_paint_from_process_s": marks["first_paint"] - T_PROCESS}

    return asyncio.run(run())


def sub(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def import_time() -> float:
    best = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import reader.tui.app"], check=True)
        best.append(time.perf_counter() - t)
    return min(best)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="52,1000,10000,100000")
    ap.add_argument("--worker", nargs=2, metavar=("N", "DIR"))
    ap.add_argument("--build", nargs=2, metavar=("N", "DIR"))
    ap.add_argument("--import-bench", type=int)
    ap.add_argument("--baseline", action="store_true")
    ap.add_argument("--durable", action="store_true")
    args = ap.parse_args()
    if args.worker is not None:
        print(json.dumps(worker(int(args.worker[0]), Path(args.worker[1]))))
        return
    if args.build is not None:
        print(json.dumps({"raw_text_bytes": build_library(Path(args.build[1]), int(args.build[0]))}))
        return
    if args.import_bench is not None:
        with tempfile.TemporaryDirectory() as tmp:
            out = measure_import(args.import_bench, Path(tmp))
        out["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(out))
        return
    if args.baseline:
        print(json.dumps(baseline()))
        return
    if args.durable:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps({str(n): asyncio.run(measure_durable(n, Path(tmp))) for n in (100, 10_000)}))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    b0 = sub(["--baseline"])
    results = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "processor": platform.processor() or platform.machine()},
        "date": time.strftime("%Y-%m-%d"),
        "B0": b0,
        "import_time_s": import_time(),
        "sizes": [size_run(n) for n in sizes],
        "durable": sub(["--durable"]),
    }
    (HERE / "results.json").write_text(json.dumps(results, indent=2))
    print(table(results))


def table(r: dict) -> str:
    b0 = r["B0"]["first_paint_s"]
    lines = [
        f"B0 (bare Textual app) first paint: {b0 * 1000:.0f} ms in process, "
        f"{r['B0']['first_paint_from_process_s'] * 1000:.0f} ms from process start; "
        f"`import reader.tui.app`: {r['import_time_s'] * 1000:.0f} ms (whole interpreter).",
        "",
        "| papers | first paint | × B0 | complete list | j / k / G / view / s (ms) | type 5 letters (max ms) | search core (max ms) | search index build | import (papers/s) | peak RSS | RSS ÷ text |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in r["sizes"]:
        k = s["keys_ms"]
        lines.append(
            f"| {s['size']:,} | {s['first_paint_s'] * 1000:.0f} ms | {s['first_paint_s'] / b0:.2f} | "
            f"{s['complete_list_s'] * 1000:.0f} ms | "
            + " / ".join(f"{k[x]:.1f}" for x in ["j", "k", "G", "view switch", "s (star)"])
            + f" | {max(s['type_query_ms']):.1f} | {max(s['search_ms']):.1f} | {s['index_build_s'] * 1000:.0f} ms | {s['import']['papers_per_s']:,.0f} | "
            f"{s['peak_rss_mb']:.0f} MB | {s['peak_rss_mb'] * 2**20 / s['raw_text_bytes']:.1f} |"
        )
    lines.append("")
    for n, d in r["durable"].items():
        lines.append(f"- star durable with {int(n):,} papers with state: {d['durable_ms']:.1f} ms; "
                     f"longest UI-thread gap meanwhile {d['ui_max_gap_ms']:.1f} ms")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
