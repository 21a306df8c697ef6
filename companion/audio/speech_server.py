"""Is the speech server there, and does it answer? Asked before Qt's ``speechd`` voice is made.

Qt's ``speechd`` engine talks to speech-dispatcher through libspeechd, whose connect call
blocks until the server replies. A server that has stopped answering (seen on real machines:
a wedged daemon left by another program) would freeze the window for good at the moment the
voice is made. So the server is asked first, here, off the GUI thread and with a timeout, in
its own protocol (SSIP): one ``SET SELF CLIENT_NAME`` must be answered with ``208``.

No server at all is normal on a desktop that has never spoken: libspeechd would start one.
It is started here instead (``speech-dispatcher --spawn``, bounded in time), so that the slow
or failing part never runs on the GUI thread either.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
from enum import StrEnum
from pathlib import Path

TIMEOUT_S = 1.0
SPAWN_TIMEOUT_S = 5.0
HELLO = b"SET SELF CLIENT_NAME companion:voice:probe\r\n"
OK_CLIENT_NAME = b"208"


class ServerState(StrEnum):
    ANSWERS = "answers"
    SILENT = "silent"  # there, but no answer in time: the voice would freeze the window
    ABSENT = "absent"  # nothing listening, and none could be started


def server_address() -> tuple[str, str | tuple[str, int]]:
    """("unix", path) or ("inet", (host, port)), as libspeechd would choose it."""
    address = os.environ.get("SPEECHD_ADDRESS", "").strip()
    if address.startswith("inet_socket"):
        parts = address.split(":")
        host = parts[1] if len(parts) > 1 and parts[1] else "127.0.0.1"
        port = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 6560
        return "inet", (host, port)
    if address.startswith("unix_socket:") and len(address) > len("unix_socket:"):
        return "unix", address.split(":", 1)[1]
    return "unix", str(default_socket_path())


def default_socket_path() -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime:
        return Path(runtime) / "speech-dispatcher" / "speechd.sock"
    return Path.home() / ".cache" / "speech-dispatcher" / "speechd.sock"


def ask(timeout: float = TIMEOUT_S) -> ServerState:
    """Whether a speech server answers now (no server started)."""
    family, where = server_address()
    try:
        if family == "inet":
            assert isinstance(where, tuple)
            conn = socket.create_connection(where, timeout=timeout)
        else:
            assert isinstance(where, str)
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.settimeout(timeout)
            conn.connect(where)
    except OSError:
        return ServerState.ABSENT
    with conn:
        try:
            conn.sendall(HELLO)
            reply = conn.recv(256)
        except OSError:  # socket.timeout included
            return ServerState.SILENT
        with contextlib.suppress(OSError):
            conn.sendall(b"QUIT\r\n")
    return ServerState.ANSWERS if reply.startswith(OK_CLIENT_NAME) else ServerState.SILENT


def ensure(timeout: float = TIMEOUT_S) -> ServerState:
    """``ask``, starting a server first when none is there (Unix sockets only, as libspeechd
    itself would). Blocks for a few seconds at most: call it off the GUI thread."""
    state = ask(timeout)
    if state is not ServerState.ABSENT:
        return state
    family, where = server_address()
    program = shutil.which("speech-dispatcher")
    if family != "unix" or program is None or os.environ.get("SPEECHD_ADDRESS"):
        return state  # an address set by hand is not ours to start a server on
    assert isinstance(where, str)
    Path(where).parent.mkdir(parents=True, exist_ok=True)
    command = [program, "--spawn", "--communication-method", "unix_socket"]
    command += ["--socket-path", where]
    try:
        subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=SPAWN_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ServerState.ABSENT
    return ask(timeout)
