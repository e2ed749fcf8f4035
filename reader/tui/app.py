"""The Textual application: loads the library, owns config and theme, and hosts
the main screen. Everything else lives in screens/ and widgets/."""

from __future__ import annotations

import asyncio
import gc
import signal
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from reader.backup import DAY, backup_state
from reader.clipboard import osc52
from reader.config import DEFAULT_THEME, Config, load_config, save_theme
from reader.drafts import left_behind, save_draft
from reader.paths import Paths, default_paths
from reader.storage.catalogue import upgrade_pending
from reader.storage.store import Store, StoreError, rescue_file
from reader.text import clean
from reader.triage import Triage
from reader.tui.idle_gc import EVERY as GC_EVERY
from reader.tui.idle_gc import IdleCollector
from reader.tui.screens.main import MainScreen
from reader.tui.session import load_session, save_session
from reader.tui.watchdog import LIMIT, Watchdog

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "hf-trending-papers.txt"
KEYS_QUIET = 0.06  # s after a key during which workers wait (see ReaderApp.yield_to_keys)
BIG_STATE = 8 * 2**20  # bytes of marks: above this they load after first paint (papers are read lazily)
BACKUP_CHECK = 3600  # seconds between checks for the daily backup
KEY_NAMES = {"slash": "/", "question_mark": "?", "space": "space"}
# The parsers, the dialogs and the help screen are imported when first needed (a file to
# import, a key): the first frame does not wait for them.
DIALOGS = "reader.tui.screens.dialogs"


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

    def __init__(self, text: str = "Loading the library…") -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(Content(self.text), id="loading-text")


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
        self._finish_lock = threading.Lock()
        self._key_targets: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # see _on_key
        self._key_at = 0.0  # time.monotonic() of the last key read (see yield_to_keys)
        self.idle_gc = IdleCollector(lambda: self._key_at)  # collections between keys
        self.exit_note: str | None = None  # what happened to unsaved changes, printed at exit
        self._exit_note_shown = False
        self.watchdog = Watchdog(self.finish_saving, report=self.print_exit_note)
        # True when this app is the whole process (the `reader` command): only then may the
        # watchdog end the process. Pilot tests run the app inside pytest's process.
        self.owns_process = False
        self.osc52_sent = False
        if self.config.keymap:  # the user's keys win in every scope (see reader.keymap)
            from reader.tui.keys import install_keymap

            self.config.errors += install_keymap(self, self.config.keymap)

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
        if upgrade_pending(self.paths.catalogue):  # once, after an update of reader: seconds at 1M papers
            return LoadingScreen("Updating the library's indexes (once, after an update of reader)…")
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
        self._install_signal_handlers()
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
        self._tell_drafts()
        self._backup(0)
        self.set_interval(BACKUP_CHECK, lambda: self._backup(DAY))
        self.set_interval(1.0, self.check_disk)
        self.idle_gc.start()
        self.set_interval(GC_EVERY, self.idle_gc.tick)
        self.loaded.set()

    def _tell_drafts(self) -> None:
        """Notes typed and never saved (the window closed, a crash): their editor offers them
        when opened, so say at start that they are there."""
        keys = [k for k in left_behind(self.paths) if self.triage is not None and self.triage.position(k) is not None]
        if not keys:
            return
        try:
            title = clean(self.triage.paper(keys[0]).title)
        except Exception:  # noqa: BLE001 - a title is a nicety here
            title = keys[0]
        title = title if len(title) <= 60 else title[:59] + "…"
        if len(keys) == 1:
            text = f"An unsaved note is kept for “{title}”: n on that paper brings it back"
        else:
            text = f"Unsaved notes are kept for {len(keys)} papers (“{title}” and others): n on each brings it back"
        self.notify(text, timeout=12, markup=False)

    def _import_files(self, triage: Triage) -> None:
        files = list(self.files)
        # a new data dir, not a library that was lost (kept aside as corrupt: the user
        # rebuilding it wants no sample papers mixed in) nor marks without their papers
        first_run = (not triage.size and not files and not triage.states
                     and not any(self.paths.data_dir.glob("*.corrupt-*")))
        if first_run:
            files = [str(SAMPLE)]
        if files:
            from reader.parsers import InputError
            from reader.sources.files import import_file
        before = None  # the end of the last file, cut inside an entry (pieces of `split -b`)
        for name in files:
            try:  # the arXiv snapshot streams in batches, as `reader import` reads it
                done = import_file(triage.store, name, importer=triage.import_papers, before=before)
            except (InputError, StoreError) as exc:
                self._import_errors.append(str(exc))
                before = getattr(exc, "tail_cut", None)
                continue
            before = done.tail_cut
            label = "the shipped sample (Hugging Face trending)" if first_run else Path(name).name
            skipped = f", {len(done.problems)} unreadable entries skipped" if done.problems else ""
            self._import_messages.append(
                f"Imported {label}: {done.read} papers read, {done.result.new} new, "
                f"{done.result.existing} already in the library{skipped}"
            )
            self._import_messages += [f"{label}: {w}" for w in done.warnings]  # read anyway (bytes not UTF-8)

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
        for warning in info.get("warnings", ()):
            self.call_from_thread(self.notify, warning, severity="warning", timeout=15)
        if info.get("recovered"):
            self.call_from_thread(self._on_main, "save_recovered")

    # -- keys typed ahead of a focus change ---------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._key_targets[event] = self.focused  # where Textual is about to hand it
            self._key_at = time.monotonic()
        await super().on_event(event)

    def yield_to_keys(self) -> None:
        """Called by a worker thread between its steps: while keys are coming, it waits
        (sleeping, so not holding the GIL). A worker sorting or searching a million papers
        holds the GIL for a row at a time, and each key's frame waited for it again and
        again: 2-3 times as long until the worker was done."""
        while (left := self._key_at + KEYS_QUIET - time.monotonic()) > 0:
            time.sleep(min(left, 0.01))

    async def _on_key(self, event: events.Key) -> None:
        """A key back from the widget Textual handed it to (its bindings are checked here).

        Textual hands each key to the focused widget's queue as it reads it: in "/spar" typed
        at once, the letters are queued for the list before "/" moves the focus to the search
        box, and came back here to run as the screen's commands (s starred a paper). A key
        whose widget lost the focus meanwhile is read again, as if typed after the focus
        moved (the keys behind it come back the same way, so the order holds)."""
        target = self._key_targets.pop(event, None)
        focused = self.focused
        if target is not None and focused is not None and target is not focused:
            event.stop()
            event.prevent_default()  # App._on_key (Textual calls each class's handler) checks no binding
            self.post_message(events.Key(event.key, event.character))  # typed again, in order
        # otherwise App._on_key runs next: the bindings of the focus chain

    def notify(self, message: str, *, title: str = "", severity="information", timeout=None, markup: bool = True) -> None:
        """Every notification shows its text literally (file names, titles: never markup)
        and without terminal control characters."""
        super().notify(clean(str(message), keep_newlines=True), title=clean(title), severity=severity,
                       timeout=timeout, markup=False)

    # -- other processes (a second instance, the CLI) ---------------------------------
    def check_disk(self) -> None:
        """Fold in what other processes wrote (about once a second, and on focus)."""
        if self.triage is None:
            return
        try:
            changed, new = self.triage.refresh_from_disk()
        except Exception as exc:  # noqa: BLE001 - a bad file must not take the session down
            message = f"Could not read the changes made elsewhere: {exc}"
            if message != getattr(self, "_disk_error", ""):
                self._disk_error = message
                self.notify(message, severity="warning", timeout=10)
            return
        for warning in self.triage.store.take_notices():
            self.notify(warning, severity="warning", timeout=15)
        if changed or new or self.triage.catalogue_changed:
            self._on_main("disk_changed", changed, new)

    def on_app_focus(self, _event) -> None:
        self.check_disk()

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
        from reader.tui.screens.help import HelpScreen

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
        from reader.tui.keys import keys_by_id

        keys = keys_by_id(self.config.keymap)  # after [keymap]: node._bindings holds the defaults
        shown = lambda names: ", ".join(self.get_key_display(Binding(k, "")) for k in names)  # noqa: E731
        seen = set()
        for node in (main, main.paper_list, main.detail):
            for binding in node._bindings:
                b = binding[1] if isinstance(binding, tuple) else binding
                names = keys.get(b.id, (b.key,)) if b.id else (b.key,)
                fresh = [k for k in names if k not in seen]
                if not b.description or b.action in seen or (names and not fresh):  # one entry per key
                    continue
                seen.add(b.action)
                seen.update(names)
                # the keys as the footer shows them ("#", "]", "^u"), not their names ("number_sign")
                # (the palette reads its help as markup: no brackets)
                said = f"key: {shown(fresh)}" if fresh else "no key (give it one in the keymap of config.toml)"
                yield SystemCommand(b.description, said, partial(node.run_action, b.action))
        yield SystemCommand("Help", f"Show every key ({shown(keys.get('help', ())) or 'no key'})", self.action_help)

    # -- stop ------------------------------------------------------------------
    def _install_signal_handlers(self) -> None:
        """Plain signal handlers, not the event loop's: they run even when the loop is
        blocked (Textual's shutdown can block for good once the terminal is gone)."""
        if threading.current_thread() is not threading.main_thread():
            return
        self._signal_loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            try:
                signal.signal(sig, self._on_signal)
            except (ValueError, OSError, AttributeError):  # pragma: no cover
                pass
        driver = self._driver
        if getattr(driver, "_writer_thread", None) is not None and self.owns_process:
            # a failed write to the tty ends Textual's output thread; so does suspending for
            # $EDITOR (and resuming starts a new one): read the current thread every time
            def tty_alive() -> bool:
                if self._exit_requested or self._suspended:
                    return True
                writer = getattr(driver, "_writer_thread", None)
                return writer is None or writer.is_alive()

            self.watchdog.monitor(tty_alive)

    _suspended = False

    @contextmanager
    def suspend(self) -> Iterator[None]:
        """Textual's suspend (the terminal handed to $EDITOR), marked so that the watchdog
        does not take the stopped output thread for a terminal that went away."""
        self._suspended = True
        try:
            with super().suspend():
                yield
        finally:
            self._suspended = False

    _exit_requested = False

    def exit(self, *args, **kwargs) -> None:
        self._exit_requested = True  # the output thread stopping now is expected
        super().exit(*args, **kwargs)

    def _on_signal(self, signum, _frame=None) -> None:
        self.save_draft()
        try:  # here, not only from the loop: a closed window's process may end before the loop runs again
            self.save_session()
        except Exception:  # noqa: BLE001 - where the reader was is a convenience, never worth a crash
            pass
        hangup = signum == signal.SIGHUP
        if self.owns_process:
            self.watchdog.arm("terminal closed" if hangup else "terminated", exit_when_saved=hangup)
        try:
            self._signal_loop.call_soon_threadsafe(self._stop_from_signal)
        except (AttributeError, RuntimeError):
            pass

    def _stop_from_signal(self) -> None:
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is not None and not main.is_mounted:  # exiting mid-mount breaks the mount
            self.set_timer(0.05, self._stop_from_signal)
            return
        self._exit_requested = True
        self.save_session()
        self.exit(return_code=0)

    async def action_quit(self) -> None:
        self._exit_requested = True
        self.save_session()
        if self.owns_process:  # the normal shutdown gets LIMIT seconds, then the process ends
            self.watchdog.arm("quit")
        self.exit()

    def save_draft(self) -> None:
        """The note being typed, kept as a draft the editor offers on the next open."""
        dialogs = sys.modules.get(DIALOGS)  # (a signal handler: imports nothing)
        if dialogs is None:
            return  # no editor was ever opened
        NoteEditor = dialogs.NoteEditor  # noqa: N806
        for screen in self.screen_stack:
            if isinstance(screen, NoteEditor) and screen.key and screen.is_mounted:
                try:
                    text = screen.text
                except Exception:  # noqa: BLE001
                    continue
                if text != screen.shown:
                    save_draft(self.paths, screen.key, text, screen.original)

    def save_session(self) -> None:
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        try:
            key = main.paper_list.current_key if main is not None else None
        except Exception:  # noqa: BLE001 - not composed yet: nothing to remember
            return
        save_session(self.paths.session, main.view, key)

    def on_unmount(self) -> None:
        self.idle_gc.stop()  # Python's own thresholds again (tests run many apps in one process)
        self.shutdown()

    def shutdown(self) -> None:
        self.finish_saving(LIMIT - 0.4)

    def finish_saving(self, timeout: float) -> str:
        """Wait (at most ``timeout`` s) for pending changes to reach the disk; what could
        not be saved goes into a rescue file. Returns, and remembers for the exit, one
        line saying what happened to unsaved changes. Any thread, any number of calls."""
        with self._finish_lock:
            if self.exit_note is None:
                self.exit_note = self._finish(timeout)
            return self.exit_note

    def _finish(self, timeout: float) -> str:
        triage = self.triage
        if triage is None or triage.close(timeout=timeout):
            return ""
        unsaved = triage.unsaved()
        if not unsaved:
            return ""
        store = triage.store
        reason = triage.saver.last_error or store.readonly_reason or f"the disk did not answer within {timeout:.1f} s"
        places = [self.paths.data_dir, self.paths.config_dir, Path(tempfile.gettempdir())]
        try:
            rescue = rescue_file(store, unsaved, places)
        except Exception:  # noqa: BLE001 - saying so matters more
            rescue = None
        n = len({(c.key, c.field) for c in unsaved})
        what = f"{n} change{'s' if n != 1 else ''} could not be saved ({reason})."
        if rescue is not None:
            return f"reader: {what} They are kept in {rescue}; `reader restore {rescue}` puts them back."
        return f"reader: {what} No writable place was found to keep them: they are lost."

    def print_exit_note(self) -> None:
        if self.exit_note and not self._exit_note_shown:
            self._exit_note_shown = True
            try:
                print(self.exit_note, file=sys.stderr, flush=True)
            except Exception:  # noqa: BLE001 - the terminal may be gone
                pass


def run_app(files: list[str]) -> int:
    app = ReaderApp(files=files)
    app.owns_process = True
    app.run()
    app.print_exit_note()
    if app.exit_note:
        return 1
    return app.return_code or 0
