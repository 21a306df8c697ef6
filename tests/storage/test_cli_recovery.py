"""The recovery key on the command line, odd passphrase bytes, two passphrase changes at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.errors import WrongPassphraseError
from companion.paths import DataPaths
from companion.services.container import Services, build_services
from companion.storage import commits
from tests.support.cli import NEW, ROOT, cli, one_line_error, verify
from tests.support.vault import PASSPHRASE, snapshot

OTHER = "harbour pebble lantern 61 fig"


@pytest.fixture
def vault_with_key(services: Services) -> tuple[Path, str]:
    key = services.vault.create(PASSPHRASE)
    services.vault.lock()
    return services.paths.root, key


def _reopen(folder: Path) -> Services:
    return build_services(DataPaths(folder), ManualClock(), kdf=KdfParams.for_tests())


def test_passwd_recovery_sets_a_new_passphrase_and_the_key_still_works(
    vault_with_key: tuple[Path, str],
) -> None:
    folder, key = vault_with_key
    result = cli(
        "--data-dir",
        str(folder),
        "passwd",
        "--recovery",
        env={
            "COMPANION_RECOVERY_KEY": key.lower().replace("-", " "),
            "COMPANION_NEW_PASSPHRASE": NEW,
        },
    )
    assert result.returncode == 0, result.stderr
    assert "new passphrase is set" in result.stdout
    assert verify(folder, NEW).returncode == 0
    assert "did not unlock" in one_line_error(verify(folder, PASSPHRASE))
    again = cli(
        "--data-dir",
        str(folder),
        "unlock-with-recovery",
        env={"COMPANION_RECOVERY_KEY": key, "COMPANION_NEW_PASSPHRASE": OTHER},
    )
    assert again.returncode == 0, again.stderr
    assert verify(folder, OTHER).returncode == 0


def test_unlock_with_a_wrong_recovery_key_changes_nothing(
    vault_with_key: tuple[Path, str],
) -> None:
    folder, key = vault_with_key
    before = snapshot(folder)
    wrong = ("B" if key[0] != "B" else "C") + key[1:]
    result = cli(
        "--data-dir",
        str(folder),
        "unlock-with-recovery",
        env={"COMPANION_RECOVERY_KEY": wrong, "COMPANION_NEW_PASSPHRASE": NEW},
    )
    assert "recovery key did not unlock" in one_line_error(result)
    short = cli(
        "--data-dir",
        str(folder),
        "unlock-with-recovery",
        env={"COMPANION_RECOVERY_KEY": "ABCDE", "COMPANION_NEW_PASSPHRASE": NEW},
    )
    assert "40 letters" in one_line_error(short)
    assert snapshot(folder) == before


def test_non_utf8_env_passphrase_is_one_plain_line(vault_with_key: tuple[Path, str]) -> None:
    folder, _key = vault_with_key
    env = {k.encode(): v.encode() for k, v in os.environ.items() if not k.startswith("COMPANION")}
    env[b"PYTHONPATH"] = str(ROOT).encode()
    env[b"COMPANION_PASSPHRASE"] = b"caf\xe9 \xff\xfe not utf-8"
    result = subprocess.run(
        [sys.executable, "-m", "companion.cli", "--data-dir", str(folder), "verify"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert "not valid UTF-8" in one_line_error(result)


def test_passwd_while_another_window_holds_the_vault_says_busy(
    vault_with_key: tuple[Path, str],
) -> None:
    folder, _key = vault_with_key
    with commits.writer_lock(folder):
        before = snapshot(folder)
        result = cli(
            "--data-dir",
            str(folder),
            "passwd",
            env={"COMPANION_PASSPHRASE": PASSPHRASE, "COMPANION_NEW_PASSPHRASE": NEW},
        )
    assert "busy in another window" in one_line_error(result)
    assert snapshot(folder) == before
    assert verify(folder, PASSPHRASE).returncode == 0


def test_two_passwd_at_once_never_both_say_changed(vault_with_key: tuple[Path, str]) -> None:
    folder, _key = vault_with_key
    base = {k: v for k, v in os.environ.items() if not k.startswith("COMPANION_")}
    base["PYTHONPATH"] = str(ROOT)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "companion.cli", "--data-dir", str(folder), "passwd"],
            env={**base, "COMPANION_PASSPHRASE": PASSPHRASE, "COMPANION_NEW_PASSPHRASE": new},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        for new in (NEW, OTHER)
    ]
    outcomes = [(proc.wait(timeout=120), proc.stdout, proc.stderr) for proc in procs]
    results = [
        (code, out.read() if out else "", err.read() if err else "") for code, out, err in outcomes
    ]
    winners = [i for i, (code, _o, _e) in enumerate(results) if code == 0]
    assert len(winners) == 1, results
    loser = results[1 - winners[0]][2]
    assert "busy in another window" in loser or "did not unlock" in loser, loser
    assert "Traceback" not in loser
    winner_pass = (NEW, OTHER)[winners[0]]
    loser_pass = (NEW, OTHER)[1 - winners[0]]
    reopened = _reopen(folder)
    reopened.vault.unlock(winner_pass)
    reopened.vault.lock()
    with pytest.raises(WrongPassphraseError):
        reopened.vault.unlock(loser_pass)
