"""Where things live: the patient's data folder and the app's own read-only files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

ASSETS_PACKAGE = "companion._assets"  # the top-level assets/ folder, mapped by setup.py
RESOURCES_PACKAGE = "companion._resources"  # the top-level resources/ folder


def package_folder(package: str, checkout_folder: str) -> Path:
    """The folder holding a data package's files.

    A wheel or a bundle has them inside the package; an editable install maps the package to
    the checkout's top-level folder; a checkout that was never installed (only on
    ``sys.path``) has just the folder, beside ``companion/``.
    """
    try:
        root = resources.files(package)
    except ModuleNotFoundError:
        return PROJECT_ROOT / checkout_folder
    if not isinstance(root, Path):  # a zip import: Companion is never shipped that way
        raise RuntimeError(f"{package} is not a folder on disk")
    return root


ASSETS_DIR = package_folder(ASSETS_PACKAGE, "assets")
MUSIC_DIR = ASSETS_DIR / "music"
RESOURCES_DIR = package_folder(RESOURCES_PACKAGE, "resources")

DATA_DIR_ENV = "COMPANION_DATA_DIR"


def private_files_by_default() -> None:
    """Everything this process creates (logs, temp files, the vault) is readable by its
    owner only, whatever the user's umask; files meant for sharing get their mode explicitly."""
    if os.name == "posix":
        os.umask(0o077)


def default_data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir  # only when needed: it is on the start-up path

    return Path(user_data_dir("Companion", appauthor=False, roaming=True))


@dataclass(frozen=True, slots=True)
class DataPaths:
    """All files of one vault folder. Nothing personal lives outside ``root``."""

    root: Path

    @property
    def header(self) -> Path:
        return self.root / "vault.header"

    @property
    def database(self) -> Path:
        return self.root / "vault.sqlcipher"

    @property
    def preferences(self) -> Path:
        return self.root / "preferences.json"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs / "companion.log"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    def has_vault(self) -> bool:
        """A vault is here if either file is: a database whose header went missing is still
        someone's data and must never be mistaken for an empty folder."""
        return self.header.exists() or self.database.exists()

    def ensure(self) -> None:
        """Creates the folder, private to this user (0700 on POSIX)."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.logs.mkdir(exist_ok=True)
        if os.name == "posix":
            for folder in (self.root, self.logs):
                folder.chmod(0o700)
