"""companion-cli speaks the language the environment names, as a real process on a real vault."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.services.container import Services
from tests.support.cli import cli, one_line_error

SPANISH = {"LANG": "es_ES.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
ENGLISH_WORDS = ("the ", "passphrase", "vault", "nothing", "please", "did not", "unlock")


@pytest.fixture
def vault_folder(unlocked_services: Services) -> Path:
    unlocked_services.vault.lock()
    return unlocked_services.paths.root


def test_wrong_passphrase_answers_in_one_spanish_sentence(vault_folder: Path) -> None:
    result = cli(
        "--data-dir",
        str(vault_folder),
        "verify",
        env={**SPANISH, "COMPANION_PASSPHRASE": "nope nope nope"},
    )
    line = one_line_error(result)
    sentence = line.removeprefix("companion-cli: ")
    assert "frase de contraseña" in sentence and "No se cambió nada" in sentence
    assert "no abrió la caja fuerte" in sentence  # the glossary's word for the vault
    assert not any(word in sentence.lower() for word in ENGLISH_WORDS), sentence


def test_help_and_argparse_s_own_words_in_spanish() -> None:
    """argparse's "usage:", "options" and complaints come through the catalogue too."""
    shown = cli("verify", "--help", env=SPANISH)
    assert shown.stdout.startswith("uso: companion-cli verify")
    assert "opciones:" in shown.stdout and "mostrar esta ayuda y salir" in shown.stdout
    assert "caja fuerte" in shown.stdout and "usage" not in shown.stdout
    wrong = cli("bogus", env=SPANISH)
    assert wrong.returncode == 2
    assert "error: argumento COMMAND: opción no válida: 'bogus'" in wrong.stderr
    assert "invalid choice" in cli("bogus", env={**SPANISH, "LANG": "C"}).stderr


def test_missing_vault_in_spanish_and_english_by_default(tmp_path: Path) -> None:
    spanish = one_line_error(cli("--data-dir", str(tmp_path / "none"), "verify", env=SPANISH))
    assert "No hay" in spanish and "There is" not in spanish
    english = {"LANG": "en_US.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
    plain = one_line_error(cli("--data-dir", str(tmp_path / "none"), "verify", env=english))
    assert "There is no Companion vault" in plain


def test_protocol_check_warns_about_a_missing_translation_and_still_accepts(
    tmp_path: Path,
) -> None:
    from tests.support.protocol_text import DEFAULT_TEXT

    text = DEFAULT_TEXT.replace(
        'text.es = "Mi antifaz y mi música están listos."\n', "", 1
    ).replace('id = "companion-default"', 'id = "clinic-two-languages"', 1)
    path = tmp_path / "clinic.toml"
    path.write_text(text, encoding="utf-8")
    english = {"LANG": "en_US.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
    result = cli("--data-dir", str(tmp_path / "none"), "protocol", "check", str(path), env=english)
    assert result.returncode == 0, result.stderr
    assert "valid: Companion default" in result.stdout
    assert result.stderr.strip() == (
        "warning: checklist[6].text: no es text; the en text is shown instead"
    )
