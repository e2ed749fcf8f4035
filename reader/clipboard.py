"""Getting text onto the user's clipboard, wherever they are.

Two paths, both tried on every copy:

* OSC 52, an escape sequence the terminal turns into a clipboard write. It
  works over SSH. Inside tmux it is sent plain: tmux (``set -g set-clipboard
  on``, its default is ``external``, which ignores it) stores it in its paste
  buffer and forwards it to the outer terminal. Only GNU screen needs it
  wrapped in DCS passthrough.
* The system clipboard through pyperclip (xclip, xsel, wl-copy, pbcopy,
  clip.exe...). pyperclip runs in a child process with a timeout: a stale
  ``DISPLAY`` can hang xclip, and the helpers' error messages would otherwise
  be printed over the TUI.

What is copied is exactly what ``reader cite`` prints, minus control
characters other than newline and tab (:func:`safe_text`).

No textual imports: the app passes the OSC 52 bytes to its driver.
"""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
from dataclasses import dataclass

from reader.procs import proc_stat
from reader.text import strip_controls, truncate

TIMEOUT = 3.0


@dataclass
class SystemResult:
    ok: bool
    backend: str = ""  # "xclip", "pbcopy", ...
    error: str = ""


def multiplexer(env: dict[str, str] | None = None, ancestors: list[str] | None = None) -> str:
    """The terminal multiplexer reader's output goes to first: "tmux", "screen" or "".
    Each sets its variable (TMUX, STY) for what runs in it, and the variables are
    inherited, so inside both (screen started in tmux, or tmux in screen) the nearest
    of reader's ancestor processes says which is innermost; tmux when they cannot be read."""
    env = os.environ if env is None else env
    tmux, screen = bool(env.get("TMUX")), bool(env.get("STY"))
    if tmux != screen or not tmux:
        return "tmux" if tmux else "screen" if screen else ""
    for name in _ancestor_names() if ancestors is None else ancestors:
        name = name.lower()
        if name.startswith("tmux"):
            return "tmux"
        if name.startswith("screen"):
            return "screen"
    return "tmux"


def _ancestor_names(limit: int = 64) -> list[str]:
    """Command names of this process's parent, its parent... (Linux /proc; [] elsewhere)."""
    names, pid = [], os.getppid()
    for _ in range(limit):
        stat = proc_stat(pid) if pid > 1 else None
        if stat is None:
            break
        names.append(stat.name)
        pid = stat.parent
    return names


def osc52(text: str, env: dict[str, str] | None = None, ancestors: list[str] | None = None) -> str:
    """The OSC 52 sequence for ``text``: plain (also inside tmux), wrapped only for GNU screen."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    seq = f"\x1b]52;c;{payload}\x07"
    if multiplexer(env, ancestors) == "screen":
        # screen passes DCS strings through but limits their length: send in chunks
        chunks = [seq[i : i + 76] for i in range(0, len(seq), 76)]
        return "".join(f"\x1bP{c}\x1b\\" for c in chunks)
    return seq


def safe_text(text: str) -> str:
    """What is copied: ``text`` byte for byte, minus escape sequences and control
    characters other than newline and tab (so RIS ``TY  - `` and indentation survive)."""
    return strip_controls(text)


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
            raise RuntimeError("no xclip, xsel or wl-copy found")
        copy(text)
    except RuntimeError:
        raise
    except (pyperclip.PyperclipException, OSError) as exc:
        raise RuntimeError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
    backend = name.removeprefix("copy_").replace("_", "-") or "system"
    return {"osx-pbcopy": "pbcopy", "osx-pyobjc": "pyobjc", "windows": "win32", "wsl": "clip.exe"}.get(backend, backend)


def run_child(argv: list[str], data: bytes = b"", timeout: float = TIMEOUT) -> tuple[int, bytes, bytes]:
    """(exit status, stdout, stderr) of ``argv`` run in its own process group, killed whole
    after ``timeout`` (raises TimeoutError then; OSError when it cannot start)."""
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()
        proc.wait()
        raise TimeoutError(f"no answer within {timeout:g} s") from None
    return proc.returncode, out, err


def system_copy(text: str, timeout: float = TIMEOUT) -> SystemResult:
    """Copy through pyperclip in a child process (time-limited, output hidden).

    The child gets its own process group, killed whole on timeout: a helper it
    started (xclip waiting on a dead ``DISPLAY``) must not keep the pipes open."""
    code = (
        "import sys\n"
        "from reader.clipboard import copy_with_pyperclip\n"
        "try:\n"
        "    print(copy_with_pyperclip(sys.stdin.read()))\n"
        "except RuntimeError as e:\n"
        "    print('!' + str(e)); sys.exit(1)\n"
    )
    try:
        returncode, stdout, _ = run_child([sys.executable, "-c", code], text.encode("utf-8"), timeout)
    except TimeoutError:
        return SystemResult(False, error=f"no answer within {timeout:g} s")
    except OSError as exc:
        return SystemResult(False, error=exc.strerror or str(exc))
    out = stdout.decode("utf-8", "replace").strip().splitlines()
    last = out[-1] if out else ""
    if returncode == 0 and last:
        return SystemResult(True, backend=last)
    return SystemResult(False, error=last.lstrip("!") or "unavailable")


def tmux_set_clipboard(env: dict[str, str] | None = None, timeout: float = 2.0) -> str | None:
    """tmux's ``set-clipboard`` option ("on", "external", "off") when running inside
    tmux, else None (also when tmux cannot be asked)."""
    env = os.environ if env is None else env
    if not env.get("TMUX"):
        return None
    try:
        proc = subprocess.run(
            ["tmux", "show", "-gv", "set-clipboard"],
            capture_output=True, timeout=timeout, env=dict(env), stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    value = proc.stdout.decode("utf-8", "replace").strip()
    return value if proc.returncode == 0 and value else None


def describe(what: str, result: SystemResult | None, osc_sent: bool, tmux: str | None = None) -> tuple[str, bool]:
    """One line saying where the text went (and, inside tmux with OSC 52 ignored, the fix);
    and whether it reached a clipboard (or the terminal, unblocked). ``tmux`` is :func:`tmux_set_clipboard`."""
    system = result is not None and result.ok
    blocked = osc_sent and tmux is not None and tmux != "on"
    fix = "tmux ignores OSC 52 (`tmux set -g set-clipboard on`)"
    error = truncate(result.error, 40) if result is not None and result.error else "not tried"
    if system and osc_sent and not blocked:
        return f"Copied {what}: system clipboard ({result.backend}) + terminal (OSC 52)", True
    if system:
        return f"Copied {what} to the system clipboard ({result.backend})" + (f"; {fix}" if blocked else ""), True
    if blocked:
        return f"Not copied: {fix}, no system clipboard ({error}); v shows it", False
    if osc_sent:
        return f"Copied {what} via the terminal (OSC 52); no system clipboard ({error})", True
    return f"Not copied: no terminal for OSC 52, no system clipboard ({error}); v shows it", False
