from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from reader.paths import Paths

# No time limit on an example: speed is measured in bench/, and hypothesis's default
# 200 ms deadline failed a test on a busy 2-core machine (254 ms) that passed alone.
settings.register_profile("reader", deadline=None)
settings.load_profile("reader")

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = Path(__file__).parent.parent / "reader" / "data" / "hf-trending-papers.txt"


async def started(app, pilot):
    """Wait until the app has loaded its library and drawn the main screen; return it."""
    from reader.tui.screens.main import MainScreen

    await app.loaded.wait()
    await pilot.pause()
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


@pytest.fixture(autouse=True)
def fresh_clock(monkeypatch):
    """Each test starts with a stamp clock that has seen no stamps, as a new process would
    (a test writing stamps like 9e9 must not move every later test's clock)."""
    from reader.state import CLOCK

    monkeypatch.setattr(CLOCK, "_last", 0.0)


@pytest.fixture
def paths(tmp_path, monkeypatch) -> Paths:
    data, config = tmp_path / "data", tmp_path / "config"
    monkeypatch.setenv("READER_DATA_DIR", str(data))
    monkeypatch.setenv("READER_CONFIG_DIR", str(config))
    monkeypatch.delenv("TMUX", raising=False)
    monkeypatch.delenv("STY", raising=False)
    return Paths(data, config)


@pytest.fixture
def disk_full(monkeypatch):
    """Make every atomic write fail with ENOSPC while ``disk_full["on"]`` is true."""
    import errno

    from reader.storage import atomic

    real = atomic.atomic_write_bytes
    switch = {"on": True}

    def write(path, data):
        if switch["on"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(atomic, "atomic_write_bytes", write)
    return switch


@pytest.fixture(autouse=True)
def no_lookup_before_citing(monkeypatch):
    """`y` / `reader export` look incomplete papers up first (READER_LOOKUP_SECONDS); the
    suite never waits on the network for that: the tests of it turn it back on."""
    monkeypatch.setenv("READER_LOOKUP_SECONDS", "0")


@pytest.fixture(autouse=True)
def notification_log(monkeypatch):
    """Record every notification when it is made. Textual drops a notification from
    ``notes(app)`` once its timeout passes, so on a slow machine a 2 s message could be
    gone before the test looks; tests read :func:`notes` instead."""
    from textual.app import App
    from textual.notifications import Notification

    notify, clear = App.notify, App.clear_notifications

    def logged_notify(self, message, *, title="", severity="information", timeout=None, markup=True):
        self.__dict__.setdefault("_notification_log", []).append(
            Notification(message, title, severity, timeout or 0, markup=markup)
        )
        return notify(self, message, title=title, severity=severity, timeout=timeout, markup=markup)

    def logged_clear(self):
        self.__dict__["_notification_log"] = []
        return clear(self)

    monkeypatch.setattr(App, "notify", logged_notify)
    monkeypatch.setattr(App, "clear_notifications", logged_clear)


def notes(app) -> list:
    """Every notification the app made since the start (or the last clear), oldest first."""
    return list(app.__dict__.get("_notification_log", []))


@pytest.fixture(autouse=True)
def savers_closed(monkeypatch):
    """A test that leaves a background saver running (a Triage it never closed, an app that
    failed to quit) must not slow every later test: close them all at the end."""
    from reader.saver import Saver

    made: list[Saver] = []
    init = Saver.__init__

    def recorded(self, *args, **kw):
        init(self, *args, **kw)
        made.append(self)

    monkeypatch.setattr(Saver, "__init__", recorded)
    yield made
    for saver in made:
        saver.close(timeout=1)
        saver._thread.join(timeout=2)
