"""The Textual application: loads the library, owns config and theme, and hosts
the main screen. Everything else lives in screens/ and widgets/."""

from __future__ import annotations

import asyncio
import gc
import signal
import sys
from functools import partial
from pathlib import Path

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from reader.backup import DAY, backup_state
from reader.clipboard import osc52
from reader.config import DEFAULT_THEME, Config, load_config, save_theme
from reader.parsers import InputError, parse_file
from reader.paths import Paths, default_paths
from reader.storage.store import Store, StoreError
from reader.triage import Triage
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.main import MainScreen
from reader.tui.session import load_session, save_session

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "hf-trending-papers.txt"
BIG_STATE = 8 * 2**20  # bytes of marks: above this they load after first paint (papers are read lazily)
BACKUP_CHECK = 3600  # seconds between checks for the daily backup
KEY_NAMES = {"slash": "/", "question_mark": "?", "space": "space"}


def styles_path() -> Path:
    """styles/ sits at the repo top; a wheel carries it as reader/styles."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "styles", here.parent / "styles"):
        if (candidate / "reader.tcss").is_file():
            return candidate / "reader.tcss"
    raise FileNotFoundError("reader.tcss not found next to the package")


class LoadingScreen(Screen):
    """Shown while a big library loads in a thread. Deliberately static: an animation
    would take the GIL from the loading thread 60 times a second."""

    def compose(self) -> ComposeResult:
        yield Static("Loading the library…", id="loading-text")


class ReaderApp(App):
    TITLE = "reader"
    CSS_PATH = str(styles_path())
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark,f1", "help", "Help", id="help"),
    ]

    def __init__(self, paths: Paths | None = None, files: list[str] | None = None, config: Config | None = None):
        self.paths = paths or default_paths()
        self.config = config or load_config(self.paths.config)
        super().__init__()
        self.files = files or []
        self.triage: Triage | None = None
        self.loaded = asyncio.Event()
        self._startup_messages: list[str] = []
        self._import_messages: list[str] = []
        self._import_errors: list[str] = []
        self._theme_ready = False
        self.osc52_sent = False
        if self.config.keymap:
            self.set_keymap(self.config.keymap)

    # -- start -----------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        """The catalogue is read lazily, so any library opens before the first frame,
        straight into the main screen; only a very big state file (marks) is loaded in a
        thread behind a loading screen."""
        try:
            big = self.paths.state.stat().st_size > BIG_STATE
        except OSError:
            big = False
        if big:
            return LoadingScreen()
        triage, messages = self._load()
        self._startup_messages = messages
        if triage is None:
            return LoadingScreen()
        return self._main_screen(triage)

    def on_mount(self) -> None:
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        elif self.config.theme != DEFAULT_THEME:
            self.config.errors.append(f"{self.paths.config}: unknown theme {self.config.theme!r}; using {self.theme}")
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._theme_ready = True
        for error in self.config.errors:
            self.notify(error, severity="warning", timeout=10)
        try:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(sig, self._on_signal)
        except (NotImplementedError, RuntimeError, AttributeError):  # pragma: no cover
            pass
        if self.triage is not None:
            self._after_load(self._startup_messages)
        elif self._startup_messages:  # the store could not be opened at all
            self.exit(return_code=1, message="\n".join(self._startup_messages))
        else:
            self._load_in_thread()

    def _load(self):
        gc.disable()  # ~10^6 new objects for 100k papers: collecting midway only costs time
        try:
            return self._load_now()
        finally:
            gc.freeze()  # the library lives as long as the app: keep it out of every collection
            gc.enable()

    def _load_now(self):
        try:
            store = Store(self.paths)
        except StoreError as exc:
            return None, [str(exc)]
        messages = list(store.warnings)
        self._import_messages.extend(store.notices)  # a migration: news, not an error
        if store.readonly_reason:
            messages.append(store.readonly_reason)
        triage = Triage(store, on_error=self._save_error, on_saved=self._saved)
        self.triage = triage
        self._import_files(triage)
        return triage, messages

    def _main_screen(self, triage: Triage) -> MainScreen:
        session = load_session(self.paths.session)
        return MainScreen(triage, view=session.get("view", "all"), key=session.get("key"))

    def _load_in_thread(self) -> None:
        def work() -> None:
            triage, messages = self._load()
            self.call_from_thread(self._finish_loading, triage, messages)

        self.run_worker(work, thread=True, group="load")

    def _finish_loading(self, triage: Triage | None, messages: list[str]) -> None:
        if triage is None:
            self.exit(return_code=1, message="\n".join(messages))
            return
        self.push_screen(self._main_screen(triage))  # over the loading screen
        self._after_load(messages)

    def _after_load(self, messages: list[str]) -> None:
        for m in messages + self._import_errors:
            self.notify(m, severity="error", timeout=15)
        for m in self._import_messages:
            self.notify(m, timeout=8)
        self._backup(0)
        self.set_interval(BACKUP_CHECK, lambda: self._backup(DAY))
        self.loaded.set()

    def _import_files(self, triage: Triage) -> None:
        files = list(self.files)
        first_run = not triage.size and not files
        if first_run:
            files = [str(SAMPLE)]
        for name in files:
            try:
                papers = parse_file(name)
                result = triage.import_papers(papers)
            except (InputError, StoreError) as exc:
                self._import_errors.append(str(exc))
                continue
            label = "the shipped sample (Hugging Face trending)" if first_run else Path(name).name
            self._import_messages.append(
                f"Imported {label}: {len(papers)} papers read, {result.new} new, "
                f"{result.existing} already in the library"
            )

    def _backup(self, min_age: float) -> None:
        def work() -> None:
            try:
                backup_state(self.paths, min_age=min_age)
            except OSError as exc:
                self.call_from_thread(self.notify, f"Backup failed: {exc.strerror or exc}", severity="warning")

        self.run_worker(work, thread=True, group="backup")

    # -- saving feedback (from the saver thread) ---------------------------------
    def _save_error(self, message: str) -> None:
        self.call_from_thread(self._on_main, "save_failed", message)

    def _saved(self, info: dict) -> None:
        if info.get("recovered"):
            self.call_from_thread(self._on_main, "save_recovered")

    def _on_main(self, method: str, *args) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                getattr(screen, method)(*args)

    # -- theme, clipboard, help, palette ---------------------------------------
    def _theme_changed(self, theme) -> None:
        if not self._theme_ready or theme.name == self.config.theme:
            return
        self.config.theme = theme.name
        try:
            save_theme(self.paths.config, theme.name)
        except OSError as exc:
            self.notify(f"Could not remember the theme: {exc.strerror or exc}", severity="warning")

    def copy_to_clipboard(self, text: str) -> None:
        """OSC 52 to the terminal (plain, also in tmux; wrapped only for GNU screen).
        ``osc52_sent`` says whether the sequence was really written."""
        self._clipboard = text
        self.osc52_sent = False
        if self._driver is None:
            return
        try:
            self._driver.write(osc52(text))
        except OSError:
            return
        self.osc52_sent = True

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        rows = []
        seen = set()
        for _key, active in self.screen.active_bindings.items():
            b = active.binding
            if not b.description or not b.id or b.action in seen:
                continue
            seen.add(b.action)
            keys = ", ".join(
                KEY_NAMES.get(k, k) for k, a in self.screen.active_bindings.items() if a.binding.action == b.action
            )
            rows.append((keys, b.description))
        rows.append(("ctrl+p", "Command palette: every action, themes"))
        self.push_screen(HelpScreen(rows))

    def get_system_commands(self, screen: Screen):
        yield from super().get_system_commands(screen)
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is None:
            return
        seen = set()
        for node in (main, main.paper_list, main.detail):
            for binding in node._bindings:
                b = binding[1] if isinstance(binding, tuple) else binding
                if not b.description or b.action in seen:
                    continue
                seen.add(b.action)
                yield SystemCommand(b.description, f"key: {b.key}", partial(node.run_action, b.action))
        yield SystemCommand("Help", "Show every key (? or F1)", self.action_help)

    # -- stop ------------------------------------------------------------------
    def _on_signal(self) -> None:
        self.save_session()
        self.exit(return_code=0)

    async def action_quit(self) -> None:
        self.save_session()
        self.exit()

    def save_session(self) -> None:
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is not None:
            save_session(self.paths.session, main.view, main.paper_list.current_key)

    def on_unmount(self) -> None:
        self.shutdown()

    def shutdown(self) -> None:
        """Wait for pending changes to reach the disk (also on SIGTERM / SIGHUP)."""
        if self.triage is not None and not self.triage.close(timeout=10):
            print(f"reader: some changes could not be saved: {self.triage.saver.last_error}", file=sys.stderr)


def run_app(files: list[str]) -> int:
    app = ReaderApp(files=files)
    app.run()
    if app.triage is not None and app.triage.saver and app.triage.saver.pending:
        return 1
    return app.return_code or 0
