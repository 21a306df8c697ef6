"""The desktop integration files are valid: the .desktop entry (desktop-file-validate), the
AppStream metainfo (appstreamcli validate), and icons rendered from the app's own SVG."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from tests.support.packaging import ROOT, load_script, run

# packaging/ is a folder of files, not a package (it would shadow PyPI's "packaging").
icons = load_script(ROOT / "packaging" / "make_icons.py")
APP_ID, ICONS, SIZES, SOURCE, render = (
    icons.APP_ID,
    icons.ICONS,
    icons.SIZES,
    icons.SOURCE,
    icons.render,
)

LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: tools/env.sh test installs it"
    return found


def test_desktop_entry_is_valid() -> None:
    run([tool("desktop-file-validate"), DESKTOP], cwd=ROOT)
    text = DESKTOP.read_text(encoding="utf-8")
    assert f"Icon={APP_ID}\n" in text
    assert "Exec=companion\n" in text


def test_appstream_metainfo_is_valid() -> None:
    done = run([tool("appstreamcli"), "validate", "--no-net", METAINFO], cwd=ROOT)
    assert "successful" in done.stdout.lower()
    root = ET.parse(METAINFO).getroot()  # noqa: S314 (our own file)
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    version = root.find("releases/release")
    assert version is not None
    from importlib.metadata import version as installed_version

    assert version.get("version") == installed_version("companion")


def test_appstream_validation_catches_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / f"{APP_ID}.metainfo.xml"
    broken.write_text(METAINFO.read_text(encoding="utf-8").replace("<summary>", "<summry>"))
    done = subprocess.run(
        [tool("appstreamcli"), "validate", "--no-net", str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0


@pytest.mark.parametrize("size", SIZES)
def test_icons_are_rendered_from_the_app_svg(size: int, tmp_path: Path, qapp: QApplication) -> None:
    committed = ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    fresh = tmp_path / "fresh.png"
    render(size, fresh)
    have, want = QImage(str(committed)), QImage(str(fresh))
    assert have.size().toTuple() == (size, size)
    assert have == want, "run packaging/make_icons.py after changing the icon"


def test_scalable_icon_and_platform_icons_exist() -> None:
    scalable = ICONS / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == SOURCE.read_bytes()
    assert (ICONS.parent / "companion.ico").stat().st_size > 0
    assert (ICONS.parent / "companion.icns").stat().st_size > 0
