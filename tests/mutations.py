"""Break each guarantee once, in a temporary copy of the repo, and show which test catches it.

    python tests/mutations.py            # every mutation
    python tests/mutations.py osc52-write restore-nothing   # some
    python tests/mutations.py --list

Each mutation replaces one exact piece of source text (it must occur exactly once, so a
refactoring that moves the code makes the mutation report "not applicable" instead of
silently testing nothing), runs the tests named for it in the copy, and lists the tests
that failed. A mutation no test catches is "SURVIVED" and the exit status is 1.

Not part of the suite (pytest collects only test_*.py) and not run in CI: it takes minutes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".git", ".ci-venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "build", "dist"}


@dataclass
class Mutation:
    name: str
    what: str
    file: str
    old: str
    new: str
    tests: list[str]
    more: tuple[tuple[str, str, str], ...] = ()  # further (file, old, new) edits of the same mutation

    @property
    def edits(self) -> list[tuple[str, str, str]]:
        return [(self.file, self.old, self.new), *self.more]


MUTATIONS = [
    # -- issue 15 ------------------------------------------------------------------------------
    Mutation(
        "library-not-atomic",
        "library (SQLite catalogue) writes outside a transaction, with a window between the rows and their index",
        "reader/storage/catalogue.py",
        '        self.db.execute("BEGIN IMMEDIATE")\n        return self.db\n',
        "        return self.db\n",
        ["tests/test_crash.py"],
        more=(
            ("reader/storage/catalogue.py", '                self.db.execute("COMMIT")\n', "                pass\n"),
            ("reader/storage/catalogue.py", '        else:\n            self.db.execute("ROLLBACK")\n        return False\n',
             "        return False\n"),
            ("reader/storage/catalogue.py", "            db.executemany(_ADD_FTS, [(pid, *_fts(p)) for pid, p in new.items()])\n",
             '            __import__("time").sleep(0.003)\n'
             "            db.executemany(_ADD_FTS, [(pid, *_fts(p)) for pid, p in new.items()])\n"),
        ),
    ),
    Mutation(
        "restore-no-backup",
        "`reader restore` does not back up the state it replaces",
        "reader/cli/restore.py",
        "    backup_state(store.paths)\n",
        "    pass\n",
        ["tests/test_cli_behaviours.py", "tests/test_cli.py"],
    ),
    Mutation(
        "restore-nothing",
        "`reader restore` restores nothing",
        "reader/cli/restore.py",
        "        store.replace_state_file(data)\n",
        "        pass\n",
        ["tests/test_cli_behaviours.py", "tests/test_cli.py"],
    ),
    Mutation(
        "no-startup-backup",
        "no backup when the app starts",
        "reader/tui/app.py",
        "        self._backup(0)\n",
        "        pass\n",
        ["tests/test_behaviours.py"],
    ),
    Mutation(
        "no-daily-backup",
        "no daily backup while the app runs",
        "reader/tui/app.py",
        "        self.set_interval(BACKUP_CHECK, lambda: self._backup(DAY))\n",
        "        pass\n",
        ["tests/test_behaviours.py"],
    ),
    Mutation(
        "osc52-write",
        "the OSC 52 write to the terminal removed",
        "reader/tui/app.py",
        "            self._driver.write(osc52(text))\n",
        "            pass\n",
        ["tests/test_clipboard.py"],
    ),
    Mutation(
        "osc52-always-reported",
        "OSC 52 reported as sent whether or not it was written",
        "reader/tui/screens/main.py",
        "describe(label, result, osc_sent, tmux_set_clipboard())",
        "describe(label, result, True, tmux_set_clipboard())",
        ["tests/test_clipboard.py"],
    ),
    Mutation(
        "system-copy-no-timeout",
        "system_copy without a timeout",
        "reader/clipboard.py",
        "        out, err = proc.communicate(data, timeout=timeout)\n",
        "        out, err = proc.communicate(data)\n",
        ["tests/test_clipboard.py", "tests/test_citations.py"],
    ),
    Mutation(
        "editor-failure-silent",
        "a failing external editor is not reported",
        "reader/tui/screens/main.py",
        '                self.notify(f"Cannot run {editor}: {exc or type(exc).__name__}", severity="error")\n',
        "                pass\n",
        ["tests/test_behaviours.py"],
    ),
    Mutation(
        "auto-read-default",
        "auto_read_seconds defaults to 1.0",
        "reader/config.py",
        "    auto_read_seconds: float = 0.0\n",
        "    auto_read_seconds: float = 1.0\n",
        ["tests/test_behaviours.py"],
    ),
    Mutation(
        "abstract-as-markup",
        "abstracts rendered as markup, literal only when the markup is invalid",
        "reader/tui/widgets/detail.py",
        "        body = highlight(abstract, words) if abstract else ",
        "        try:\n"
        "            body = Content.from_markup(abstract)\n"
        "        except Exception:\n"
        "            body = Content(abstract)\n"
        "        body = body if abstract else ",
        ["tests/test_behaviours.py", "tests/test_tui.py", "tests/test_snapshots.py"],
    ),
    # -- issue 10 §1 and §6: the clipboard ------------------------------------------------------
    Mutation(
        "osc52-tmux-wrapped",
        "OSC 52 wrapped in tmux's DCS passthrough again",
        "reader/clipboard.py",
        '    if env.get("STY") and not env.get("TMUX"):\n',
        '    if env.get("TMUX"):\n'
        '        return "\\x1bPtmux;" + seq.replace("\\x1b", "\\x1b\\x1b") + "\\x1b\\\\"\n'
        '    if env.get("STY"):\n',
        ["tests/test_clipboard.py"],
    ),
    Mutation(
        "copy-collapses-spaces",
        "copied text has its lines stripped and spaces collapsed",
        "reader/clipboard.py",
        "    return strip_controls(text)\n",
        "    from reader.text import clean\n\n"
        '    return clean(text, keep_newlines=True) + ("\\n" if text.endswith("\\n") else "")\n',
        ["tests/test_clipboard.py"],
    ),
    Mutation(
        "tmux-advice-always",
        "the tmux advice is given whatever set-clipboard says",
        "reader/clipboard.py",
        '    blocked = osc_sent and tmux is not None and tmux != "on"\n',
        "    blocked = osc_sent and tmux is not None\n",
        ["tests/test_clipboard.py"],
    ),
    Mutation(
        "open-no-copy",
        "`o` without a browser does not copy the link",
        "reader/tui/screens/main.py",
        "        self.app.copy_to_clipboard(url)\n",
        "        pass\n",
        ["tests/test_clipboard.py"],
    ),
    # -- a few of the behaviours that had no test -----------------------------------------------
    Mutation(
        "esc-does-not-cancel",
        "esc does not cancel a running lookup",
        "reader/tui/screens/main.py",
        "            self._resolve_cancel = True\n",
        "            pass\n",
        ["tests/test_behaviours.py", "tests/test_resolve.py"],
    ),
    Mutation(
        "export-empty-exit-0",
        "`reader export` of an empty view succeeds silently",
        "reader/cli/export.py",
        "        return 1\n    complete_first(triage, keys)\n",
        "        return 0\n    complete_first(triage, keys)\n",
        ["tests/test_cli_behaviours.py", "tests/test_cli.py"],
    ),
    Mutation(
        "ctrl-c-exit-0",
        "ctrl+c exits 0 instead of 130",
        "reader/cli/__init__.py",
        "        return 130\n",
        "        return 0\n",
        ["tests/test_cli_behaviours.py", "tests/test_cli.py"],
    ),
    Mutation(
        "no-resolve-ignored",
        "`reader import --no-resolve` still looks papers up",
        "reader/cli/imports.py",
        "    if id_only and not args.no_resolve:\n",
        "    if id_only:\n",
        ["tests/test_cli_behaviours.py", "tests/test_resolve.py"],
    ),
]


def copy_repo(dest: Path) -> None:
    def ignore(directory: str, names: list[str]) -> set[str]:
        return {n for n in names if n in SKIP or n.endswith(".egg-info")}

    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)


def apply(mutation: Mutation, repo: Path) -> str | None:
    """Mutate the copy; None if done, else why not."""
    for file, old, new in mutation.edits:
        path = repo / file
        if not path.exists():
            return f"{file} does not exist"
        text = path.read_text(encoding="utf-8")
        count = text.count(old)
        if count != 1:
            return f"the text to break occurs {count} times in {file}: {old.strip()[:60]!r}"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return None


def run_tests(repo: Path, tests: list[str]) -> tuple[list[str], str]:
    env = {**os.environ, "PYTHONPATH": str(repo), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=no", "-rfE", *tests]
    out = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True)
    failed = [f"{test} ({why.strip()[:70]})" if why else test
              for test, why in re.findall(r"^(?:FAILED|ERROR) (\S+)(?: - (.*))?$", out.stdout, re.M)]
    tail = (out.stdout.strip().splitlines() or [""])[-1]
    return failed, tail


def check_imports_from_copy(repo: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(repo)}
    out = subprocess.run([sys.executable, "-c", "import reader; print(reader.__file__)"], cwd=repo, env=env,
                         capture_output=True, text=True)
    if not out.stdout.strip().startswith(str(repo)):
        raise SystemExit(f"the copy's tests would import reader from {out.stdout.strip()!r}, not the copy")


def main(argv: list[str]) -> int:
    if "--list" in argv:
        for m in MUTATIONS:
            print(f"{m.name:24} {m.what}")
        return 0
    chosen = [m for m in MUTATIONS if not argv or m.name in argv]
    unknown = set(argv) - {m.name for m in MUTATIONS}
    if unknown:
        print(f"unknown mutation(s): {', '.join(sorted(unknown))}; --list shows them", file=sys.stderr)
        return 2
    rows = []
    survived = 0
    for m in chosen:
        with tempfile.TemporaryDirectory(prefix=f"mutant-{m.name}-") as tmp:
            repo = Path(tmp) / "repo"
            copy_repo(repo)
            check_imports_from_copy(repo)
            why = apply(m, repo)
            if why:
                rows.append((m, "NOT APPLICABLE", why))
                print(f"{m.name}: not applicable ({why})", flush=True)
                continue
            start = time.monotonic()
            failed, tail = run_tests(repo, m.tests)
            secs = time.monotonic() - start
        if failed:
            rows.append((m, "caught", ", ".join(f.removeprefix("tests/") for f in failed)))
        else:
            survived += 1
            rows.append((m, "SURVIVED", tail))
        print(f"{m.name}: {rows[-1][1]} in {secs:.0f} s — {rows[-1][2]}", flush=True)
    print()
    print("| mutation | what breaks | result | failing tests |")
    print("|---|---|---|---|")
    for m, result, detail in rows:
        print(f"| `{m.name}` | {m.what} | {result} | {detail} |")
    return 1 if survived or any(r[1] != "caught" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
