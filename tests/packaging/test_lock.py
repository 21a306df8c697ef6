"""The lock files pin every dependency pyproject.toml declares, at a version it allows, with
hashes; and the environment the tests run in is the one the lock describes. A dependency
added to pyproject.toml without re-running tools/lock.sh fails here, not on a patient's
machine."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.packaging import ROOT

REQUIREMENTS = ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins(lock: Path) -> dict[str, list[tuple[str, str]]]:
    """name -> [(version, marker)] for every pinned line of a lock file."""
    found: dict[str, list[tuple[str, str]]] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            name, pinned, marker = match.groups()
            found.setdefault(canonicalize_name(name), []).append((pinned, marker or ""))
    return found


def declared(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = list(project["dependencies"])
    for extra in extras:
        listed += project["optional-dependencies"][extra]
    return [Requirement(text) for text in listed]


def here(marker: str) -> bool:
    from packaging.markers import Marker

    return not marker or Marker(marker).evaluate()  # this machine's environment


@pytest.mark.parametrize(
    ("lock", "extras"),
    [("lock.txt", ("test", "build")), ("runtime.txt", ()), ("bundle.txt", ("build",))],
)
def test_lock_pins_every_declared_dependency_within_its_range(
    lock: str, extras: tuple[str, ...]
) -> None:
    pinned = pins(REQUIREMENTS / lock)
    for requirement in declared(*extras):
        versions = [v for v, marker in pinned.get(canonicalize_name(requirement.name), [])]
        assert versions, f"{requirement.name} is not in requirements/{lock}: run tools/lock.sh"
        for pinned_version in versions:
            assert requirement.specifier.contains(pinned_version, prereleases=True), (
                f"requirements/{lock} pins {requirement.name}=={pinned_version}, "
                f"outside {requirement.specifier}: run tools/lock.sh"
            )


@pytest.mark.parametrize("lock", ["lock.txt", "runtime.txt", "bundle.txt"])
def test_every_pin_has_hashes(lock: str) -> None:
    text = (REQUIREMENTS / lock).read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    for block in blocks:
        if PIN.match(block.splitlines()[0]):
            assert "--hash=sha256:" in block, block.splitlines()[0]


def test_the_test_environment_is_the_locked_one() -> None:
    for name, choices in pins(REQUIREMENTS / "lock.txt").items():
        wanted = [v for v, marker in choices if here(marker)]
        if not wanted:
            continue
        try:
            installed = version(name)
        except PackageNotFoundError:
            pytest.fail(f"{name} is locked but not installed: run tools/env.sh test")
        assert installed in wanted, f"{name} {installed} installed, {wanted} locked"
