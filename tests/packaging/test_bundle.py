"""The desktop bundle, built by tools/build_bundle.sh (PyInstaller) and extracted from its
tar.gz into an empty folder: the CLI creates and verifies a vault, the app paints its
first-run screen offscreen and quits 0, and every asset, resource and desktop file is inside.

Building takes minutes, so this is the ``bundle`` tier: .ci/run runs it as its own pytest
invocation (`./tools/test.sh -m bundle`); the default run leaves it out."""

from __future__ import annotations

import ctypes.util
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.packaging import PASSPHRASE, ROOT, clean_env, run, tracked_data_files

pytestmark = [pytest.mark.slow, pytest.mark.bundle]
APP_ID = "io.github.companionapp.Companion"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Builds once per session, then extracts the tar.gz: the folder a patient would get."""
    out = tmp_path_factory.mktemp("dist")
    built = run([ROOT / "tools" / "build_bundle.sh", out], cwd=ROOT, timeout=1200)
    tarball = Path(built.stdout.strip().splitlines()[-1])
    assert tarball.is_file() and tarball.name.endswith(".tar.gz")
    extracted = tmp_path_factory.mktemp("extracted")
    with tarfile.open(tarball) as archive:
        archive.extractall(extracted, filter="tar")
    yield extracted / "Companion"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def test_bundle_cli_creates_and_verifies_a_vault(bundle: Path, home: Path) -> None:
    env = clean_env(home, COMPANION_PASSPHRASE=PASSPHRASE)
    vault = home / "vault"
    created = run([bundle / "companion-cli", "--data-dir", vault, "init"], cwd=home, env=env)
    assert "Vault created" in created.stdout
    verified = run([bundle / "companion-cli", "--data-dir", vault, "verify"], cwd=home, env=env)
    assert "verified" in verified.stdout


def test_bundle_cli_refuses_a_wrong_passphrase(bundle: Path, home: Path) -> None:
    vault = home / "vault"
    run(
        [bundle / "companion-cli", "--data-dir", vault, "init"],
        cwd=home,
        env=clean_env(home, COMPANION_PASSPHRASE=PASSPHRASE),
    )
    import subprocess

    done = subprocess.run(
        [str(bundle / "companion-cli"), "--data-dir", str(vault), "verify"],
        cwd=home,
        env=clean_env(home, COMPANION_PASSPHRASE=PASSPHRASE + " not"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr


def test_bundle_app_opens_offscreen_to_first_run(bundle: Path, home: Path) -> None:
    done = run(
        [bundle / "companion", "--smoke-test", "--data-dir", home / "data"],
        cwd=home,
        env=clean_env(home),
        timeout=120,
    )
    assert "smoke test ok: first run" in done.stdout
    # libvlc is not bundled: the system's is used when there is one, else Qt Multimedia.
    expected = "vlc" if ctypes.util.find_library("vlc") else "qt multimedia"
    assert f"audio: {expected}" in done.stdout


def test_bundle_carries_assets_resources_and_desktop_files(bundle: Path) -> None:
    inside = bundle / "_internal" / "companion"
    for top, folder in (("assets", "_assets"), ("resources", "_resources")):
        missing = [
            name
            for name in tracked_data_files(top)
            if not name.endswith(".py") and not (inside / folder / name).is_file()
        ]
        assert not missing, f"{top}: {missing}"
    migrations = inside / "storage" / "migrations"
    assert (migrations / "env.py").is_file() and any((migrations / "versions").glob("*.py"))
    assert (bundle / "share" / "applications" / f"{APP_ID}.desktop").is_file()
    assert (bundle / "share" / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (bundle / "share" / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png").is_file()
    assert (bundle / "install.sh").stat().st_mode & 0o111


def test_bundle_install_script_installs_for_the_user(bundle: Path, home: Path) -> None:
    env = clean_env(home, XDG_DATA_HOME=str(home / ".local" / "share"))
    run([bundle / "install.sh"], cwd=home, env=env)
    entry = home / ".local" / "share" / "applications" / f"{APP_ID}.desktop"
    assert f"Exec={home}/.local/opt/Companion/companion" in entry.read_text(encoding="utf-8")
    assert (home / ".local" / "bin" / "companion-cli").resolve().is_file()
    run([bundle / "install.sh", "--uninstall"], cwd=home, env=env)
    assert not entry.exists()
