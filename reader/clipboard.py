"""Getting text onto the user's clipboard, wherever they are.

Two paths, both tried on every copy:

* OSC 52, an escape sequence the terminal turns into a clipboard write. It
  works over SSH; inside tmux or screen it must be wrapped so the multiplexer
  passes it on (tmux also needs ``set -g set-clipboard on``).
* The system clipboard through pyperclip (xclip, xsel, wl-copy, pbcopy,
  clip.exe...). pyperclip runs in a child process with a timeout: a stale
  ``DISPLAY`` can hang xclip, and the helpers' error messages would otherwise
  be printed over the TUI.

No textual imports: the app passes the OSC 52 bytes to its driver.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from dataclasses import dataclass

from reader.text import clean

TIMEOUT = 3.0


@dataclass
class SystemResult:
    ok: bool
    backend: str = ""  # "xclip", "pbcopy", ...
    error: str = ""


def osc52(text: str, env: dict[str, str] | None = None) -> str:
    """The OSC 52 sequence for ``text``, wrapped for tmux / GNU screen when inside one."""
    env = os.environ if env is None else env
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    seq = f"\x1b]52;c;{payload}\x07"
    if env.get("TMUX"):
        return "\x1bPtmux;" + seq.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    if env.get("STY"):
        # screen passes DCS strings through but limits their length: send in chunks
        chunks = [seq[i : i + 76] for i in range(0, len(seq), 76)]
        return "".join(f"\x1bP{c}\x1b\\" for c in chunks)
    return seq


def safe_text(text: str) -> str:
    """What is copied never carries control characters or escape sequences."""
    return clean(text, keep_newlines=True) + ("\n" if text.endswith("\n") else "")


def copy_with_pyperclip(text: str) -> str:
    """Copy in this process; return the backend name. Raises RuntimeError with a reason."""
    try:
        import pyperclip
    except ImportError as exc:
        raise RuntimeError("pyperclip is not installed") from exc
    try:
        copy, _paste = pyperclip.determine_clipboard()
        name = getattr(copy, "__name__", "") or type(copy).__name__
        if "NoClipboard" in name or "no_clipboard" in name.lower() or name == "ClipboardUnavailable":
            raise RuntimeError("no clipboard tool found (install xclip, xsel or wl-clipboard)")
        copy(text)
    except RuntimeError:
        raise
    except (pyperclip.PyperclipException, OSError) as exc:
        raise RuntimeError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
    backend = name.removeprefix("copy_").replace("_", "-") or "system"
    return {"osx-pbcopy": "pbcopy", "osx-pyobjc": "pyobjc", "windows": "win32", "wsl": "clip.exe"}.get(backend, backend)


def system_copy(text: str, timeout: float = TIMEOUT) -> SystemResult:
    """Copy through pyperclip in a child process (time-limited, output hidden)."""
    code = (
        "import sys\n"
        "from reader.clipboard import copy_with_pyperclip\n"
        "try:\n"
        "    print(copy_with_pyperclip(sys.stdin.read()))\n"
        "except RuntimeError as e:\n"
        "    print('!' + str(e)); sys.exit(1)\n"
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            stdin=None,
        )
    except subprocess.TimeoutExpired:
        return SystemResult(False, error=f"system clipboard did not answer within {timeout:g}s")
    except OSError as exc:
        return SystemResult(False, error=str(exc))
    out = proc.stdout.decode("utf-8", "replace").strip().splitlines()
    last = out[-1] if out else ""
    if proc.returncode == 0 and last:
        return SystemResult(True, backend=last)
    return SystemResult(False, error=last.lstrip("!") or "system clipboard unavailable")


def describe(what: str, result: SystemResult | None, osc_sent: bool, env: dict | None = None) -> tuple[str, bool]:
    """The notification text for a copy, and whether it fully worked."""
    env = os.environ if env is None else env
    paths = []
    if result is not None and result.ok:
        paths.append(f"system clipboard ({result.backend})")
    if osc_sent:
        paths.append("terminal (OSC 52)")
    if result is not None and result.ok:
        return f"Copied {what} — " + " + ".join(paths), True
    hint = "only the terminal (OSC 52) path was possible"
    if result is not None and result.error:
        hint += f"; system clipboard: {result.error}"
    if env.get("TMUX"):
        hint += ". In tmux run `tmux set -g set-clipboard on`"
    hint += ". macOS Terminal.app ignores OSC 52. Press v to view the text or w to save it."
    return f"Copied {what} to the terminal clipboard — {hint}", False
