"""``companion-cli protocol check|install`` as a clinic or a script would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.paths import DataPaths
from companion.services.container import build_services
from tests.support.services import clinic_protocol
from tests.support.vault import PASSPHRASE, snapshot

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, passphrase: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPANION_")}
    env["PYTHONPATH"] = str(ROOT)
    if passphrase is not None:
        env["COMPANION_PASSPHRASE"] = passphrase
    return subprocess.run(
        [sys.executable, "-m", "companion.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_check_accepts_a_good_file_without_any_vault(tmp_path: Path) -> None:
    good = write(tmp_path, "riverside.toml", clinic_protocol())
    result = cli("--data-dir", str(tmp_path / "none"), "protocol", "check", str(good))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "valid: Riverside clinic"
    assert result.stderr == ""


def test_check_refuses_a_broken_file_with_one_line_naming_the_field(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.toml", clinic_protocol().replace("stop = 160", "stop = 120"))
    result = cli("--data-dir", str(tmp_path / "none"), "protocol", "check", str(broken))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "companion-cli: limits.systolic.stop: must be greater than warn (135)"
    ]


def test_check_of_a_syntax_error_is_still_one_line(tmp_path: Path) -> None:
    broken = write(tmp_path, "syntax.toml", '[protocol\nname = "x"\n')
    result = cli("--data-dir", str(tmp_path / "none"), "protocol", "check", str(broken))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("companion-cli: file: is not valid TOML")


def test_install_unlocks_and_a_broken_file_never_touches_the_vault(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "vault")
    paths.ensure()
    services = build_services(paths, ManualClock(), kdf=KdfParams.for_tests())
    services.vault.create(PASSPHRASE)
    services.vault.lock()
    services.worker.shutdown()

    broken = write(
        tmp_path, "broken.toml", clinic_protocol().replace("[cadence]", "x = 1\n[cadence]")
    )
    files = snapshot(paths.root)
    refused = cli("--data-dir", str(paths.root), "protocol", "install", str(broken))
    assert refused.returncode == 1  # refused before any passphrase is asked for
    assert refused.stderr.splitlines() == ["companion-cli: protocol.x: is not a known field"]
    assert snapshot(paths.root) == files

    good = write(tmp_path, "good.toml", clinic_protocol())
    done = cli(
        "--data-dir", str(paths.root), "protocol", "install", str(good), passphrase=PASSPHRASE
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "installed: Riverside clinic (version 1)"

    services = build_services(paths, ManualClock(), kdf=KdfParams.for_tests())
    services.vault.unlock(PASSPHRASE)
    try:
        assert services.protocols.active().info.name == "Riverside clinic"
    finally:
        services.vault.lock()
        services.worker.shutdown()
