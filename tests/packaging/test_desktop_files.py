"""The desktop integration files are valid: the .desktop entry (desktop-file-validate), the
AppStream metainfo (appstreamcli validate), and icons rendered from the app's own SVG."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPainter
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
    # Qt's raster engine takes another SIMD path on another CPU (AVX-512 here): a few edge
    # pixels of the antialiasing come out one level apart. A changed icon differs far more.
    differing, worst = pixel_difference(have, want)
    assert differing <= size * size // 100 and worst <= 2, (
        f"{differing} pixels differ, by up to {worst}: "
        "run packaging/make_icons.py after changing the icon"
    )


def pixel_difference(first: QImage, second: QImage) -> tuple[int, int]:
    """How many pixels differ, and the largest difference of a channel (0-255)."""
    a = first.convertToFormat(QImage.Format.Format_ARGB32)
    b = second.convertToFormat(QImage.Format.Format_ARGB32)
    assert a.size() == b.size()
    differing = worst = 0
    for y in range(a.height()):
        for x in range(a.width()):
            p, q = a.pixel(x, y), b.pixel(x, y)
            if p != q:
                differing += 1
                worst = max(worst, *(abs((p >> s & 255) - (q >> s & 255)) for s in (0, 8, 16, 24)))
    return differing, worst


def test_scalable_icon_and_platform_icons_exist() -> None:
    scalable = ICONS / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == SOURCE.read_bytes()
    assert (ICONS.parent / "companion.ico").stat().st_size > 0
    assert (ICONS.parent / "companion.icns").stat().st_size > 0


def test_the_icon_check_tells_a_changed_icon_apart(tmp_path: Path, qapp: QApplication) -> None:
    fresh = tmp_path / "fresh.png"
    render(48, fresh)
    icon, changed = QImage(str(fresh)), QImage(str(fresh))
    painter = QPainter(changed)
    painter.fillRect(20, 20, 3, 3, QColor("#336699"))  # nine pixels of a changed drawing
    painter.end()
    differing, worst = pixel_difference(icon, changed)
    assert differing > 0 and worst > 2
