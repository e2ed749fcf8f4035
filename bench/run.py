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
- key latency: handler + detail update + the frame Textual draws for it (pending refresh
  messages handled, layout and dirty regions rendered), timed directly (not Pilot's fixed
  pauses); a full repaint of the screen is recorded beside it as an upper bound.
- search per keystroke: the same for setting the query (first hits from the FTS5 index);
  the core's first hits and complete result are timed on their own.
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
import outside  # noqa: E402 - bench/outside.py (the script's directory is on sys.path)

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


MARKS_CAP = 5_000  # a person's marks: 10 % of a small library, at most this many


def synth_papers(n: int, seed: int = 1, start: int = 0):
    """Papers as an import hands them to the store (title, ~1,500-character abstract,
    authors, arXiv id, date), in batches of 50,000."""
    from reader.model import Paper

    rng = random.Random(seed)
    abstracts = [synth_abstract(rng) for _ in range(997)]  # generating each costs more than storing it
    batch = []
    for i in range(start, start + n):
        aid = f"{2000 + i // 100000:04d}.{i % 100000:05d}"
        batch.append(Paper(key=aid, title=synth_title(rng, i), abstract=abstracts[i % 997], arxiv_id=aid,
                           authors=[f"Author {rng.randint(1, 50000)}" for _ in range(rng.randint(1, 6))],
                           published=f"20{10 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                           upvotes=rng.randint(0, 300)))
        if len(batch) == 50_000:
            yield batch
            batch = []
    if batch:
        yield batch


def build_library(data: Path, n: int) -> int:
    """A library of n papers, with marks on 10 % of them (at most MARKS_CAP): stars,
    read, some notes and tags. Returns the bytes of paper text."""
    from reader.paths import Paths
    from reader.state import Change
    from reader.storage.store import Store

    store = Store(Paths(data, data / "config"))
    text_bytes = 0
    keys: list[str] = []
    marked = min(max(1, n // 10), MARKS_CAP)
    every = max(1, n // marked)
    for batch in synth_papers(n):
        store.import_papers(batch)
        text_bytes += sum(len(p.title) + len(p.abstract) + sum(map(len, p.authors)) for p in batch)
        keys += [p.key for p in batch[::every]]
    rng = random.Random(2)
    changes = []
    for key in keys[:marked]:
        changes.append(Change(key, rng.choice(["read", "starred"]), True, 1.0))
        if rng.random() < 0.3:
            changes.append(Change(key, "note", "Worth a look: " + synth_abstract(rng)[:200], 1.0))
            changes.append(Change(key, "tags", ["bench", rng.choice(WORDS)], 1.0))
    store.apply(changes)
    return text_bytes


KEY_GAP = 0.12  # s between timed keys: pressed one by one, as a reader does (a held key: outside.py)


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
    config = Path(tempfile.mkdtemp())  # a fresh config each run: default sort (S saves its choice)
    (data / "session.json").unlink(missing_ok=True)  # start at the top, not where the last run left off
    t0 = time.perf_counter()
    app = App(Paths(data, config))
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

        async def timed(fn, runs: int = 21) -> dict:
            """Handler + detail update + the frame Textual draws for it (the queued refresh
            messages handled, then layout and dirty regions rendered); and, as an upper
            bound, the same with a full repaint of the screen."""
            samples, full, cpu = [], [], []
            for _ in range(runs):
                await pilot.pause(KEY_GAP)
                t, c = time.perf_counter(), time.process_time()
                fn()
                screen.show_detail_now()  # what the coalesced detail update runs
                await pilot._wait_for_screen()
                app.screen._on_timer_update()
                samples.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
                t = time.perf_counter()
                frame(app)
                full.append((time.perf_counter() - t) * 1000 + samples[-1])
            # all the work a key causes, the frames after the first included (a layout the
            # key asks for, a worker's result drawn): CPU time until 150 ms after it
            work = []
            for _ in range(9):
                await pilot.pause()
                c = time.process_time()
                fn()
                screen.show_detail_now()
                await pilot.pause(0.15)
                work.append((time.process_time() - c) * 1000)
            samples.sort()
            full.sort()
            cpu.sort()
            work.sort()
            return {"median": samples[len(samples) // 2], "p90": samples[int(len(samples) * 0.9)],
                    "cpu_median": cpu[len(cpu) // 2], "full_repaint_median": full[len(full) // 2],
                    "work_median": work[len(work) // 2]}

        keys = {
            "j": plist.action_cursor_down,
            "k": plist.action_cursor_up,
            "G": lambda: (plist.action_last() if plist.cursor == 0 else plist.action_first()),
            "view switch": lambda: screen.action_view("unread" if screen.view == "all" else "all"),
            "s (star)": lambda: screen.action_toggle("starred"),
            "S (sort)": screen.action_cycle_sort,  # added -> published -> upvotes -> title -> ...
        }
        result["keys_ms"] = {name: await timed(fn) for name, fn in keys.items()}
        # j at the bottom edge of the list: every key scrolls it by a row (all rows redrawn),
        # the steady state of reading down a long list
        screen.action_view("all")
        await pilot.pause()
        plist.cursor = plist.size.height - 1
        await pilot.pause()
        result["keys_ms"]["j (scrolling)"] = await timed(plist.action_cursor_down)
        screen.action_view("all")
        await pilot.pause()
        screen.action_search()
        per_key = []
        for q in ["s", "sp", "spa", "spar", "spars"]:
            await pilot.pause(KEY_GAP)
            t = time.perf_counter()
            screen.search_text = q  # first hits, synchronously; the rest in a worker
            await pilot._wait_for_screen()
            app.screen._on_timer_update()
            per_key.append((time.perf_counter() - t) * 1000)
        result["type_query_ms"] = per_key
        while any(not w.is_finished for w in app.workers):
            await asyncio.sleep(0.005)
        per_key = []
        for k in range(7, 14):  # a word longer than the title index's prefixes, typed on
            await pilot.pause(KEY_GAP)
            t = time.perf_counter()
            screen.search_text = "reinforcement"[:k]
            await pilot._wait_for_screen()
            app.screen._on_timer_update()
            per_key.append((time.perf_counter() - t) * 1000)
        result["type_long_word_ms"] = per_key
        screen.search_text = "spars"  # nearly every paper: the worker's complete search
        t = time.perf_counter()
        while any(not w.is_finished for w in app.workers):
            await asyncio.sleep(0.005)
        await pilot.pause()
        result["search_complete_s"] = time.perf_counter() - t
        result["search_matches"] = len(plist.rows)
        app.triage.flush()
    return result


def measure_search(n: int, data: Path) -> dict:
    """The core: first hits of each keystroke, and the complete result of the last."""
    from reader.paths import Paths
    from reader.triage import Triage

    triage = Triage.open(Paths(data, data / "config"), background=False)
    first = []
    for q in ["t", "tr", "tra", "tran", "trans", "trans gra"]:
        t = time.perf_counter()
        triage.search_view("all", q, limit=triage.search_first)
        first.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    hits = triage.view("all", "trans gra")
    return {"first_ms": first, "complete_ms": (time.perf_counter() - t) * 1000, "complete_hits": len(hits)}


def measure_import(n: int, tmp: Path) -> dict:
    """Copied pages: parse + store. Store only: papers as a snapshot importer hands them."""
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
    ready = [p for batch in synth_papers(n, seed=5, start=5_000_000) for p in batch]
    store2 = Store(Paths(tmp / "imp2", tmp / "imp2"))
    t = time.perf_counter()
    store2.import_papers(ready)
    store_s = time.perf_counter() - t
    from sources import gen_snapshot  # bench/sources.py: the arXiv snapshot's JSON lines

    from reader.parsers import iter_file

    snap = tmp / "snapshot.jsonl"
    gen_snapshot(snap, n)
    store3 = Store(Paths(tmp / "imp3", tmp / "imp3"))
    t = time.perf_counter()
    stored = sum(store3.import_papers(batch).read for batch in iter_file(snap))
    snap_s = time.perf_counter() - t
    return {"papers": len(papers), "parse_s": t_parse, "total_s": total, "papers_per_s": len(papers) / total,
            "bytes": src.stat().st_size, "store_only_papers_per_s": len(ready) / store_s,
            "snapshot_papers": stored, "snapshot_papers_per_s": stored / snap_s}


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
    result["search"] = measure_search(n, data)
    return result


def size_run(n: int, cache: Path | None = None) -> dict:
    """Build a library of n papers (or reuse the one kept in ``cache``), then measure."""
    with tempfile.TemporaryDirectory() as tmp:
        data = (cache / str(n) / "data") if cache else Path(tmp) / "data"
        info = data.parent / "built.json"
        if cache and info.exists():
            built = json.loads(info.read_text())
        else:
            built = sub(["--build", str(n), str(data)])
            if cache:
                info.write_text(json.dumps(built))
        result = {"load_before": os.getloadavg()[0]}
        result.update(sub(["--worker", str(n), str(data)]))
        if outside.available():  # the user's view: a real terminal (tmux), whole process
            result["outside"] = outside.measure_reader(data)
        result["load_after"] = os.getloadavg()[0]
        result["raw_text_bytes"] = built["raw_text_bytes"]
        result["build_s"] = built["build_s"]
        result["library_file_bytes"] = sum(f.stat().st_size for f in data.glob("library.db*"))
    result["import"] = sub(["--import-bench", str(min(n, 100_000))])
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
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"bench {' '.join(args)} failed:\n{out.stderr[-3000:]}")
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
    ap.add_argument("--sizes", default="52,1000,10000,100000,1000000")
    ap.add_argument("--worker", nargs=2, metavar=("N", "DIR"))
    ap.add_argument("--build", nargs=2, metavar=("N", "DIR"))
    ap.add_argument("--import-bench", type=int)
    ap.add_argument("--baseline", action="store_true")
    ap.add_argument("--durable", action="store_true")
    ap.add_argument("--cache", type=Path, help="keep built libraries here and reuse them (not in the repo)")
    args = ap.parse_args()
    if args.worker is not None:
        print(json.dumps(worker(int(args.worker[0]), Path(args.worker[1]))))
        return
    if args.build is not None:
        t = time.perf_counter()
        text = build_library(Path(args.build[1]), int(args.build[0]))
        print(json.dumps({"raw_text_bytes": text, "build_s": time.perf_counter() - t}))
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
        "B0_outside": outside.baseline() if outside.available() else None,
        "import_time_s": import_time(),
        "sizes": [size_run(n, args.cache) for n in sizes],
        "durable": sub(["--durable"]),
    }
    (HERE / "results.json").write_text(json.dumps(results, indent=2))
    print(table(results))


def _outside_row(name: str, o: dict, b0: dict | None) -> str:
    def ms(m: dict | None) -> str:
        return f"{m['median']:.1f} ({m['p90']:.0f}) ms" if m else "-"

    paint = f"{o['first_paint_ms']:.0f} ms" + (f" ({o['first_paint_ms'] / b0['first_paint_ms']:.2f})" if b0 else "")
    lag = o.get("key_repeat", {}).get("lag_after_last_key_ms")
    return (f"| {name} | {paint} | {ms(o['key_first_change_ms'])} | {ms(o['key_detail_ms'])} | "
            f"{ms(o.get('key_output_ms', {}).get('done'))} | {'-' if lag is None else f'{lag:.0f} ms'} | "
            f"{ms(o.get('search_letter_ms'))} |")


def table(r: dict) -> str:
    b0 = r["B0"]["first_paint_s"]
    b0p = r["B0"]["first_paint_from_process_s"]
    lines = [
        f"B0 (bare Textual app) first paint: {b0 * 1000:.0f} ms in process, "
        f"{b0p * 1000:.0f} ms from process start; "
        f"`import reader.tui.app`: {r['import_time_s'] * 1000:.0f} ms (whole interpreter).",
        "",
        "| papers | first paint (× B0) | from process start (× B0) | j / k / j scrolling / G / view / s / S: median (p90) ms "
        "| type 5 letters; a long word (max ms) | first hits, core (max ms) | complete search | peak RSS |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in r["sizes"]:
        k = s["keys_ms"]
        names = ["j", "k", "j (scrolling)", "G", "view switch", "s (star)", "S (sort)"]
        keys = " / ".join(f"{k[x]['median']:.1f} ({k[x]['p90']:.0f})" for x in names if x in k)
        sr = s["search"]
        lines.append(
            f"| {s['size']:,} | {s['first_paint_s'] * 1000:.0f} ms ({s['first_paint_s'] / b0:.2f}) | "
            f"{s['first_paint_from_process_s'] * 1000:.0f} ms ({s['first_paint_from_process_s'] / b0p:.2f}) | {keys} | "
            f"{max(s['type_query_ms']):.1f}; {max(s.get('type_long_word_ms') or [0]):.1f} | {max(sr['first_ms']):.1f} | "
            f"{sr['complete_ms']:.0f} ms ({sr['complete_hits']:,} hits) | {s['peak_rss_mb']:.0f} MB |"
        )
    lines += ["", "All the work a key causes, the frames after the first included (CPU ms until 150 ms after "
              "the key, every thread, median):", "",
              "| papers | j | k | j scrolling | G | view | s | S |", "|---|---|---|---|---|---|---|---|"]
    for s in r["sizes"]:
        k = s["keys_ms"]
        lines.append(f"| {s['size']:,} | " + " | ".join(
            f"{k[x]['work_median']:.1f}" if "work_median" in k.get(x, {}) else "-"
            for x in ["j", "k", "j (scrolling)", "G", "view switch", "s (star)", "S (sort)"]) + " |")
    lines += ["", "| papers | import: copied page, parse + store (papers/s) | import: arXiv snapshot, parse + store "
              "| import: store only | library on disk | build |", "|---|---|---|---|---|---|"]
    for s in r["sizes"]:
        imp = s["import"]
        lines.append(f"| {s['size']:,} | {imp['papers_per_s']:,.0f} ({imp['papers']:,} papers) | "
                     f"{imp['snapshot_papers_per_s']:,.0f} | {imp['store_only_papers_per_s']:,.0f} | "
                     f"{s['library_file_bytes'] / 2**20:,.0f} MB | {s['build_s']:.0f} s |")
    if r.get("B0_outside"):
        b = r["B0_outside"]
        lines += ["", "Seen from outside (the app in a real tmux, 120x40, keys 0.25 s apart; every figure includes "
                  "`tmux send-keys`, about 4 ms, B0's too). *Screen changes* and *detail shows* poll `capture-pane` "
                  "(a process every few ms, competing for the CPU); *output* watches the pane's output copied by "
                  "`pipe-pane` (a `stat`): until the frame's last byte reached tmux. *Held j* sends 40 keys at 30 a "
                  "second: how long the screen still changes after the last one. *Search letter*: `/`, then "
                  "\"spars\" typed a letter every 0.25 s, until each letter's output settles (its results drawn).",
                  "", "| papers | first paint (× B0) | j: screen changes | j: detail shows | j: output done "
                  "| held j: lag | search letter |", "|---|---|---|---|---|---|---|", _outside_row("B0", b, None)]
        for s in r["sizes"]:
            if s.get("outside"):
                lines.append(_outside_row(f"{s['size']:,}", s["outside"], b))
        moved = [s for s in r["sizes"] if s.get("outside", {}).get("move_output_ms")]
        if moved:
            lines += ["", "The other keys of the target, from tmux the same way (24 keys each, 0.25 s apart): "
                      "`2`/`1` (the Unread view and back), `s` (star, unstar), `S` (the four sorts in turn); "
                      "the output's first byte / its last byte (nothing more for 10 ms; for `S` a worker's "
                      "complete sort may come within it), median (p90) ms:", "",
                      "| papers | view switch | star | sort |", "|---|---|---|---|"]
            for s in moved:
                m = s["outside"]["move_output_ms"]
                lines.append(f"| {s['size']:,} | " + " | ".join(
                    f"{m[k]['first']['median']:.1f} / {m[k]['done']['median']:.1f} ({m[k]['done']['p90']:.0f})"
                    for k in ("view", "star", "sort")) + " |")
    lines.append("")
    for n, d in r["durable"].items():
        lines.append(f"- star durable with {int(n):,} papers with state: {d['durable_ms']:.1f} ms; "
                     f"longest UI-thread gap meanwhile {d['ui_max_gap_ms']:.1f} ms")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
