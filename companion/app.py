"""Composition root: the Qt application, the data folder, logging, settings, services, window.

Start-up is kept short: the window (unlock or first-run screen) shows before the storage stack
(SQLAlchemy, Alembic, SQLCipher) is even imported; the services are built on a background
thread and the database worker picks up whatever the person asked for once they are ready.
"""

from __future__ import annotations

import argparse
import atexit
import linecache
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

# The Qt-free modules first, PySide after them: PySide's import hook reads the source of every
# module imported after PySide (looking for ``__feature__``) and runs Python code for each
# import statement, ~40M instructions for these at start-up (issue 16).
from companion.argparse_words import install as install_argparse_words
from companion.domain.clock import Clock, SystemClock
from companion.heap import keep_long_lived
from companion.i18n import _, language_from_environment, set_language
from companion.paths import DataPaths, default_data_dir, private_files_by_default
from companion.settings import LANGUAGE, TEXT_SCALE, THEME, BackupPolicy, Settings

# isort: split
from PySide6.QtCore import QCoreApplication, QTimer

from companion.ui.application import create_application
from companion.ui.context import DemoFactory
from companion.ui.first_frame import after_first_frame, hold, release
from companion.ui.language import apply_language
from companion.ui.main_window import MainWindow
from companion.ui.services_handle import ServicesHandle
from companion.ui.theme import apply_theme
from companion.ui.widgets.input_rules import install_input_rules, start_filtering

if TYPE_CHECKING:
    from companion.crypto.kdf import KdfParams
    from companion.services.container import Services

SHUTDOWN_TIMEOUT_S = 30.0


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    set_language(language_from_environment())  # --help in the system's language (the app's
    # own choice is applied once the preferences are read)
    install_argparse_words()
    parser = argparse.ArgumentParser(prog="companion", description=_("Companion desktop app"))
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=_("folder that holds the vault and preferences (default: the per-user data folder)"),
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help=_(
            "start, wait for the services, paint the first screen, then quit (packaging checks)"
        ),
    )
    return parser.parse_known_args(list(argv))


SMOKE_TIMEOUT_S = 60.0


def smoke_test(app: QCoreApplication, window: MainWindow, handle: ServicesHandle) -> None:
    """Proves a packaged app works: the services (storage stack, SQLCipher) load, and the
    first screen paints. Prints one line (with the audio engine that would play: VLC when the
    system has libvlc, else Qt Multimedia) and quits: 0 when all went well, 1 otherwise."""
    from companion.audio.factory import VlcUnavailableError, load_vlc

    try:
        handle.get(timeout=SMOKE_TIMEOUT_S)
        image = window.grab().toImage()
        screen = "first run" if window.first_run is not None else "unlock"
        painted = not image.isNull() and image.width() > 0 and image.height() > 0
        try:
            load_vlc()
            audio = "vlc"
        except VlcUnavailableError:
            audio = "qt multimedia"
    except Exception as error:  # a packaging check reports any failure as a status, not a trace
        print(f"companion: smoke test failed: {type(error).__name__}")
        app.exit(1)
        return
    print(f"companion: smoke test {'ok' if painted else 'failed'}: {screen}; audio: {audio}")
    app.exit(0 if painted else 1)


def build_services_for(
    paths: DataPaths,
    clock: Clock,
    kdf: KdfParams | None = None,
    backup: BackupPolicy | None = None,
) -> Services:
    """The services the app runs on (the patient's vault, or the demo vault's): the storage
    stack is imported here, after the first paint, and the PDF renderer is Qt's."""
    from companion.pdf import QtPdfRenderer
    from companion.services.container import build_services

    services = build_services(paths, clock, kdf=kdf, pdf=QtPdfRenderer(), backup=backup)
    forget_module_sources()  # the storage stack's: ~25 MB of source lines
    return services


def forget_module_sources() -> None:
    """PySide reads the source of every module imported after it (looking for its
    ``__feature__`` imports), and ``linecache`` keeps every line it read: 30 MB once the storage
    stack and the shell are imported (issue 16). Dropped after each batch of imports; a
    traceback reads the lines it needs again."""
    linecache.clearcache()


def demo_factory() -> DemoFactory:
    """ "Explore with sample data": the demo vault's services and window, built here only."""
    return DemoFactory(build_services=build_services_for, open_window=open_demo_window)


def open_demo_window(handle: ServicesHandle, settings: Settings, clock: Clock) -> MainWindow:
    """The demo's window, its module imported when it is opened: not before the first frame
    (it reads ``Qt``, which PySide builds in full on its first import: issue 16)."""
    from companion.ui.demo_window import open_demo_window as open_window

    return open_window(handle, settings, clock)


def start_services(handle: ServicesHandle, paths: DataPaths, settings: Settings) -> None:
    policy = BackupPolicy.from_settings(settings)  # read on the GUI thread, used on the worker

    def build() -> Services:
        return build_services_for(paths, SystemClock(), backup=policy)

    handle.build_in_background(build)


def shut_down(window: MainWindow, handle: ServicesHandle) -> None:
    """Clears the clipboard and private widgets, writes pending preferences, then locks the
    vault and stops the worker."""
    window.prepare_to_quit()
    window.ctx.settings.flush()
    if not handle.started:  # quit before the services began to start: nothing is open
        return
    try:
        services = handle.get(timeout=SHUTDOWN_TIMEOUT_S)
    except (TimeoutError, RuntimeError):
        return
    try:
        services.worker.submit(services.vault.lock).result(timeout=SHUTDOWN_TIMEOUT_S)
    except TimeoutError:
        # A slow call (the last draft, say) still runs: the lock follows it on the worker and
        # the process ends once both are done (the worker's thread is joined at exit). The
        # window is gone already; quitting itself must not raise or wait longer here.
        logging.getLogger(__name__).warning("quit.worker_slow")
        services.worker.shutdown(wait=False)
        return
    services.worker.shutdown()


class Restart:
    """Set when the patient chose "Restart now" (a new language) and the window then closed.

    Not a dataclass, nor ``Running`` and the UI context (``ui.context``): a dataclass compiles
    its methods from source when its module is imported, ~3.5M instructions each before the
    first frame (issue 16)."""

    __slots__ = ("wanted",)

    def __init__(self, wanted: bool = False) -> None:
        self.wanted = wanted


def restart_command() -> list[str]:
    """This process's own command line: ``python -m companion``, the ``companion`` script or a
    packaged executable alike (``sys.orig_argv`` keeps the interpreter's options too)."""
    return [sys.executable, *sys.orig_argv[1:]]


def request_restart(window: MainWindow, restart: Restart) -> None:
    """Closes the window the usual way (it may still ask about unsaved words or a running
    session); Companion starts again once it has closed. Staying open cancels the restart."""
    restart.wanted = True
    if not window.close() and not window.close_wait.isActive():
        restart.wanted = False


def start_again(restart: Restart, spawn: Callable[[list[str]], object] | None = None) -> bool:
    """After the event loop: a new Companion, detached, when a restart was asked for."""
    if not restart.wanted:
        return False
    command = restart_command()
    if spawn is None:
        import subprocess  # here: not needed before the first frame

        subprocess.Popen(command, start_new_session=True, close_fds=True)
    else:
        spawn(command)
    return True


class Running(NamedTuple):
    """What ``start`` leaves running (a named tuple: see ``Restart``)."""

    app: QCoreApplication
    window: MainWindow
    handle: ServicesHandle
    paths: DataPaths
    on_quit: Callable[[], None]
    restart: Restart


def start_logging(paths: DataPaths) -> None:
    from companion.logsetup import configure_logging, install_excepthook

    configure_logging(paths)
    install_excepthook()


def start(argv: Sequence[str]) -> Running:
    """Everything up to the event loop: the window is shown, the services are starting.

    The window is built first; logging, the services (the storage stack) and the screen-lock
    watcher start once the window's first frame is painted (``ui.first_frame``).
    """
    args, qt_args = parse_args(argv)
    private_files_by_default()
    app = create_application(qt_args)
    paths = DataPaths(args.data_dir.expanduser() if args.data_dir else default_data_dir())
    paths.ensure()
    settings = Settings(paths.preferences)
    atexit.register(settings.flush)  # a change made just before any exit is still written
    apply_language(settings.get(LANGUAGE))  # before the first window: unlock and its Help too
    install_input_rules(app, filtering=False)  # the rules start after the first frame
    apply_theme(app, settings.get(THEME), settings.get(TEXT_SCALE))
    handle = ServicesHandle(paths.has_vault)
    hold()  # what the first screen can only set through ``Qt`` waits for its first frame
    window = MainWindow(handle, settings, clock=SystemClock(), demo=demo_factory())
    restart = Restart()
    window.restart_requested.connect(lambda: request_restart(window, restart))
    window.show()

    def after_shown() -> None:
        release()
        start_filtering(app)
        forget_module_sources()
        start_logging(paths)
        start_services(handle, paths, settings)
        window.watch_screen_lock()
        keep_long_lived()  # what start-up built stays: later collections leave it alone
        if args.smoke_test:
            QTimer.singleShot(0, lambda: smoke_test(app, window, handle))

    after_first_frame(window, after_shown)

    def on_quit() -> None:
        shut_down(window, handle)

    app.aboutToQuit.connect(on_quit)
    return Running(app, window, handle, paths, on_quit, restart)


def main(argv: Sequence[str] | None = None) -> int:
    running = start(sys.argv[1:] if argv is None else argv)
    code = running.app.exec()
    start_again(running.restart)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
