"""Logs and crash output carry event names and code locations only."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from companion.logsetup import EventOnlyFilter, configure_logging, describe_crash
from companion.paths import DataPaths

SECRET = "my private words about the session"


def record(name: str, msg: str, args: tuple[object, ...] | None = None) -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)


def test_filter_keeps_bare_event_names_from_our_code() -> None:
    kept = record("companion.services.vault", "vault.unlocked")
    assert EventOnlyFilter().filter(kept)
    assert kept.getMessage() == "vault.unlocked"


def test_filter_withholds_arguments_free_text_and_third_party_messages() -> None:
    for rec in (
        record("companion.journal", "saved %s", (SECRET,)),
        record("companion.journal", SECRET),
        record("sqlalchemy.engine", "vault.unlocked"),
    ):
        EventOnlyFilter().filter(rec)
        assert rec.getMessage() == "(message withheld)"


def test_exception_text_never_reaches_the_log(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    configure_logging(paths)
    try:
        raise ValueError(SECRET)
    except ValueError:
        logging.getLogger("companion.test").exception("journal.save_failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    content = paths.log_file.read_text()
    assert "journal.save_failed" in content
    assert SECRET not in content and "ValueError" not in content


def test_crash_description_names_type_and_place_only() -> None:
    try:
        {"a": 1}["x"]
    except KeyError as exc:
        line = describe_crash(type(exc), exc.__traceback__)
    assert line.startswith("crash KeyError at test_crash_description")
    assert "'x'" not in line


def test_uncaught_exception_in_a_process_prints_no_message(tmp_path: Path) -> None:
    code = (
        "from companion.logsetup import configure_logging, install_excepthook\n"
        "from companion.paths import DataPaths\n"
        "import pathlib, sys\n"
        f"p = DataPaths(pathlib.Path({str(tmp_path)!r}))\n"
        "configure_logging(p); install_excepthook()\n"
        f"raise RuntimeError({SECRET!r})\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1
    assert SECRET not in result.stderr
    assert "RuntimeError" in result.stderr
    log = (tmp_path / "logs" / "companion.log").read_text()
    assert "crash RuntimeError" in log and SECRET not in log


def test_every_log_call_in_the_app_is_a_bare_event_name() -> None:
    """Arguments would be withheld by the filter anyway; this keeps the log useful and makes
    a call that tries to log data fail here, at review time."""
    import ast
    import re

    package = Path(__file__).resolve().parents[2] / "companion"
    levels = {"debug", "info", "warning", "error", "exception", "critical"}
    event = re.compile(r"^[a-z0-9_.-]+$")
    offenders = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in levels
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id.endswith("log")
            ):
                continue
            if any(k.arg == "extra" for k in node.keywords):
                continue  # describe_crash lines: type and code locations, marked safe
            message = node.args[0] if node.args else None
            ok = len(node.args) == 1 and (
                (isinstance(message, ast.Constant) and event.match(str(message.value)))
                or isinstance(message, ast.IfExp | ast.JoinedStr)
            )
            if not ok:
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
