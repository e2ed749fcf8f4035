"""Reading the system clipboard (pyperclip's paste) for ``P`` in the TUI.

pyperclip runs in a child process with a timeout, like copying does: a stale ``DISPLAY``
can hang xclip, and the helpers' messages must not be printed over the TUI. The test
suite points ``READER_PASTE_COMMAND`` at a stand-in."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys

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
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
    except OSError as exc:
        return "", exc.strerror or str(exc)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()
        proc.wait()
        return "", f"the clipboard did not answer within {timeout:g} s"
    if proc.returncode != 0:
        reason = err.decode("utf-8", "replace").strip().splitlines()
        return "", (reason[-1] if reason else "no clipboard tool found")[:200]
    if len(out) > LIMIT:
        return "", f"the clipboard holds {len(out) // 2**20} MiB, more than any page or bibliography"
    return out.decode("utf-8", "replace"), ""
