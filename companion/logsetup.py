"""Logging that cannot leak: event names and ids only, into a rotating file in the data folder.

Companion's own log calls pass fixed event names (``log.info("vault.unlocked")``). Third-party
libraries may format values into their messages, so their records are reduced to logger name
and level. Uncaught exceptions are logged by type and code location only: an exception's
message can quote data (a SQL parameter, a file's content), so it is never written.
"""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from types import TracebackType

from companion.paths import DataPaths

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
_HANDLER_NAME = "companion-file"
SAFE = "companion_safe"  # set only by describe_crash lines, which hold no data


class EventOnlyFilter(logging.Filter):
    """Keeps the message only when it is a bare event name from our own code, no arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, SAFE, False):
            return True
        own = record.name == "companion" or record.name.startswith("companion.")
        if not own or record.args or not _is_event_name(str(record.msg)):
            record.msg = "(message withheld)"
            record.args = None
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def _is_event_name(text: str) -> bool:
    return 0 < len(text) <= 80 and all(ch.isalnum() or ch in "._-" for ch in text)


def configure_logging(paths: DataPaths, level: int = logging.INFO) -> None:
    paths.ensure()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    handler = RotatingFileHandler(
        paths.log_file, maxBytes=512 * 1024, backupCount=3, encoding="utf-8", delay=True
    )
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(EventOnlyFilter())
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its INFO lines are noise here
    from companion.storage.engine import route_cipher_log  # sqlcipher3 only once logging is set

    route_cipher_log(paths.logs / "sqlcipher.log")


def describe_crash(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """Type and code locations, never the exception's message or local values."""
    frames = traceback.extract_tb(tb)
    where = " <- ".join(
        f"{f.name}@{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in frames[::-1]
    )
    return f"crash {exc_type.__name__} at {where or 'unknown'}"


def install_excepthook() -> None:
    crash_log = logging.getLogger("companion.crash")

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        line = describe_crash(exc_type, tb)
        crash_log.critical(line, extra={SAFE: True})
        print(f"Companion stopped unexpectedly ({line}).", file=sys.stderr)

    sys.excepthook = hook
