"""Reading the system clipboard (pyperclip's paste) for ``P`` in the TUI.

pyperclip runs in a child process with a timeout, like copying does: a stale ``DISPLAY``
can hang xclip, and the helpers' messages must not be printed over the TUI. The test
suite points ``READER_PASTE_COMMAND`` at a stand-in."""

from __future__ import annotations

import os
import shlex
import sys

from reader.clipboard import run_child

TIMEOUT = 3.0
LIMIT = 32 * 2**20  # more than any copied page or bibliography: refuse, do not hold it

_CODE = (
    "import sys\n"
    "try:\n"
    "    import pyperclip\n"
    "    text = pyperclip.paste()\n"
    "except Exception as e:\n"
    "    sys.stderr.write(str(e).splitlines()[0] if str(e) else type(e).__name__); sys.exit(1)\n"
    "sys.stdout.buffer.write(text.encode('utf-8', 'replace'))\n"
)


def system_paste(timeout: float = TIMEOUT) -> tuple[str, str]:
    """(text, "") or ("", why the clipboard could not be read)."""
    command = shlex.split(os.environ["READER_PASTE_COMMAND"]) if os.environ.get("READER_PASTE_COMMAND") else [sys.executable, "-c", _CODE]
    try:
        returncode, out, err = run_child(command, timeout=timeout)
    except TimeoutError:
        return "", f"the clipboard did not answer within {timeout:g} s"
    except OSError as exc:
        return "", exc.strerror or str(exc)
    if returncode != 0:
        lines = err.decode("utf-8", "replace").strip().splitlines()
        reason = (lines[-1] if lines else "").split(". ")[0].strip() or "no clipboard tool found"
        if "copy/paste mechanism" in reason or reason == "no clipboard tool found":
            reason = "no clipboard tool found (install xclip, xsel or wl-clipboard)"
        elif "codec can't decode" in reason:  # the clipboard tool's bytes, decoded by pyperclip
            reason = "it holds text that is not UTF-8 (copy it again from a UTF-8 page, or save it and use reader import)"
        return "", reason[:200]
    if len(out) > LIMIT:
        return "", f"the clipboard holds {len(out) // 2**20} MiB, more than any page or bibliography"
    return out.decode("utf-8", "replace"), ""
