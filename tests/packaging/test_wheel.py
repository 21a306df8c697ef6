"""The built wheel, installed into a clean virtual environment (pinned dependencies from
requirements/runtime.txt, served from pip's cache), works without the checkout: every file of
assets/ and resources/ is inside the package, the default protocol loads, the music is listed,
``companion-cli init`` and ``verify`` work, and the app paints its first-run screen."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.packaging import PASSPHRASE, PYTHON, ROOT, clean_env, run, tracked_data_files

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    venv: Path
    home: Path

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def script(self, name: str) -> Path:
        return self.venv / "bin" / name

    def env(self, **extra: str) -> dict[str, str]:
        return clean_env(self.home, **extra)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("wheel")
    dist, venv, home = base / "dist", base / "venv", base / "home"
    home.mkdir()
    env = clean_env(home, PIP_DISABLE_PIP_VERSION_CHECK="1")
    for staging in [ROOT / "build" / "lib", *(ROOT / "build").glob("bdist.*")]:
        shutil.rmtree(staging, ignore_errors=True)  # no stale modules from an older build
    run(
        [PYTHON, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", dist, ROOT],
        cwd=base, env=env,
    )  # fmt: skip
    wheels = list(dist.glob("companion-*.whl"))
    assert len(wheels) == 1
    run([PYTHON, "-m", "venv", venv], cwd=base, env=env)
    pip: list[str | Path] = [venv / "bin" / "python", "-m", "pip", "install", "--quiet"]
    run([*pip, "--require-hashes", "-r", ROOT / "requirements" / "runtime.txt"], cwd=base, env=env)
    run([*pip, "--no-deps", wheels[0]], cwd=base, env=env)
    yield Installed(venv, home)


def ask(installed: Installed, code: str) -> object:
    """Runs Python code in the installed environment, far from the checkout; returns its JSON."""
    done = run([installed.python, "-c", code], cwd=installed.home, env=installed.env())
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_wheel_carries_every_asset_and_resource(installed: Installed) -> None:
    where = ask(
        installed,
        "import json, companion.paths as p; "
        "print(json.dumps([str(p.ASSETS_DIR), str(p.RESOURCES_DIR)]))",
    )
    assert isinstance(where, list)
    assets, resources = (Path(folder) for folder in where)
    assert installed.venv in assets.parents and installed.venv in resources.parents
    for folder, top in ((assets, "assets"), (resources, "resources")):
        files = tracked_data_files(top)
        assert files, top
        missing = [name for name in files if not (folder / name).is_file()]
        assert not missing, f"{top}: {missing}"


def test_installed_wheel_loads_the_protocol_and_lists_the_music(installed: Installed) -> None:
    found = ask(
        installed,
        "import json\n"
        "from companion.services.protocol_files import default_protocol\n"
        "from companion.audio.library import bundled_tracks\n"
        "from companion.paths import MUSIC_DIR\n"
        "p = default_protocol()\n"
        "tracks = bundled_tracks(MUSIC_DIR)\n"
        "print(json.dumps({'protocol': bool(p), 'tracks': [t.path.is_file() for t in tracks]}))",
    )
    assert isinstance(found, dict)
    assert found["protocol"]
    assert len(found["tracks"]) >= 3 and all(found["tracks"])


def test_installed_cli_creates_and_verifies_a_vault(installed: Installed, tmp_path: Path) -> None:
    env = installed.env(COMPANION_PASSPHRASE=PASSPHRASE)
    cli = installed.script("companion-cli")
    folder = tmp_path / "vault"
    created = run([cli, "--data-dir", folder, "init"], cwd=installed.home, env=env)
    assert "Vault created" in created.stdout
    run([cli, "--data-dir", folder, "verify"], cwd=installed.home, env=env)


def test_installed_app_paints_its_first_run_screen(installed: Installed, tmp_path: Path) -> None:
    done = run(
        [installed.script("companion"), "--smoke-test", "--data-dir", tmp_path / "data"],
        cwd=installed.home,
        env=installed.env(),
        timeout=120,
    )
    assert "smoke test ok: first run" in done.stdout
