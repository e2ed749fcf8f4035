from __future__ import annotations

from pathlib import Path

import pytest

from reader.paths import Paths

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = Path(__file__).parent.parent / "reader" / "data" / "hf-trending-papers.txt"


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
