"""A speech server that has stopped answering never freezes the window.

Real sockets with a small server of our own: one that answers SSIP as speech-dispatcher does,
one that accepts and then says nothing (the wedged daemon seen on real machines), and none.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from companion.audio import speech_server
from companion.audio.speech_server import ServerState
from companion.ui.session.voice import SPEECHD, Voice, _engines


class FakeServer:
    def __init__(self, path: Path, *, answers: bool) -> None:
        self.path = path
        self.answers = answers
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(str(path))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.stop = threading.Event()
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.held.append(conn)  # a silent server keeps the line open and says nothing
            if self.answers:
                conn.settimeout(1.0)
                try:
                    if conn.recv(256).startswith(b"SET SELF CLIENT_NAME"):
                        conn.sendall(b"208 OK CLIENT NAME SET\r\n")
                except OSError:
                    pass

    def close(self) -> None:
        self.stop.set()
        self.thread.join(2)
        for conn in self.held:
            conn.close()
        self.sock.close()


def _serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, answers: bool) -> FakeServer:
    path = tmp_path / ("answers.sock" if answers else "silent.sock")
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{path}")
    return FakeServer(path, answers=answers)


def test_a_server_that_answers_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = _serve(tmp_path, monkeypatch, answers=True)
    try:
        assert speech_server.ask() is ServerState.ANSWERS
    finally:
        server.close()


def test_a_silent_server_is_noticed_within_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = _serve(tmp_path, monkeypatch, answers=False)
    try:
        started = time.monotonic()
        assert speech_server.ask(timeout=0.3) is ServerState.SILENT
        assert time.monotonic() - started < 2.0
    finally:
        server.close()


def test_no_server_at_a_hand_set_address_is_absent_and_none_is_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = tmp_path / "nobody.sock"
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{where}")
    assert speech_server.ensure(timeout=0.3) is ServerState.ABSENT
    assert not where.exists()


def test_the_default_socket_follows_xdg_runtime_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPEECHD_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/run/user/1000")
    assert speech_server.server_address() == (
        "unix",
        "/run/user/1000/speech-dispatcher/speechd.sock",
    )
    monkeypatch.setenv("SPEECHD_ADDRESS", "inet_socket:127.0.0.1:6561")
    assert speech_server.server_address() == ("inet", ("127.0.0.1", 6561))


def test_a_wedged_speech_server_never_freezes_the_window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert SPEECHD in _engines(), "tools/env.sh installs libspeechd2: Qt's speechd engine"
    server = _serve(tmp_path, monkeypatch, answers=False)
    try:
        started = time.monotonic()
        voice = Voice()  # the app's default: the system's engine
        assert time.monotonic() - started < 0.5  # the window goes on at once
        assert voice.pending and not voice.available
        with qtbot.waitSignal(voice.ready, timeout=5000) as ready:
            pass
        assert ready.args == [False]
        assert not voice.available and not voice.say("Slowly remove your eye mask.")
    finally:
        server.close()
