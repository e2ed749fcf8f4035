"""Regenerate the README screenshots: ``python screenshots/make.py``.

Runs the real app headless on the shipped sample in a throwaway data dir, presses
keys like a user, and saves SVGs next to this file.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

SHOTS = {
    "main": ("textual-dark", ["j", "s", "j", "l", "j", "j", "r", "j", "j"]),
    "search": ("textual-dark", ["slash", *"sparse", "enter"]),
    "note": ("textual-dark", ["j", "j", "n", *"Compare with the Learngene papers; cite in sec. 2"]),
    "help": ("textual-dark", ["question_mark"]),
    "light": ("textual-light", ["s", "j", "space", "j", "space", "l"]),
}


async def shoot(name: str, theme: str, keys: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["READER_DATA_DIR"] = str(Path(tmp) / "data")
        os.environ["READER_CONFIG_DIR"] = str(Path(tmp) / "config")
        from reader.paths import default_paths
        from reader.tui.app import ReaderApp

        app = ReaderApp(default_paths())
        async with app.run_test(size=(120, 34)) as pilot:
            await app.loaded.wait()
            app.theme = theme
            await pilot.pause()
            app.clear_notifications()
            await pilot.press(*keys)
            await pilot.pause(0.3)
            app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
        print(f"wrote screenshots/{name}.svg")


def main() -> None:
    for name, (theme, keys) in SHOTS.items():
        asyncio.run(shoot(name, theme, keys))


if __name__ == "__main__":
    main()
