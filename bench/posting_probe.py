"""Posting's start to its first draw, the yardstick of the window's start-up.

``python bench/posting_probe.py POSTING`` runs Posting (a terminal HTTP client, from PyPI)
in a pseudo-terminal of 160x48 with a fresh home, and prints ``BENCH {"first_draw": s}``:
the seconds from just before the process was spawned until its first full screen (the
URL bar's "Enter a URL" text) was written to the terminal. Posting is then killed.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import tempfile
import termios
import time

MARKER = b"Enter a URL"


def main() -> None:
    program = sys.argv[1]
    home = tempfile.mkdtemp(prefix="bench-posting-")
    env = dict(
        os.environ,
        TERM="xterm-256color",
        HOME=home,
        XDG_CONFIG_HOME=os.path.join(home, "config"),
        XDG_DATA_HOME=os.path.join(home, "data"),
        COLUMNS="160",
        LINES="48",
    )
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:  # the child: Posting in the terminal
        os.chdir(home)
        os.execve(program, [program], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 48, 160, 0, 0))
    seen = b""
    drawn = None
    while time.monotonic() - started < 120:
        ready, _, _ = select.select([fd], [], [], 0.02)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen = seen[-4096:] + chunk
        if MARKER in seen:
            drawn = time.monotonic()
            break
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    if drawn is None:
        raise SystemExit(f"Posting did not draw its screen; it wrote: {seen[-500:]!r}")
    print("BENCH " + json.dumps({"first_draw": drawn - started}), flush=True)


if __name__ == "__main__":
    main()
