"""Renders the app icon (resources/icons/companion.svg) to the PNG sizes desktops ask for.

    .venv/bin/python packaging/make_icons.py

Writes packaging/icons/hicolor/<N>x<N>/apps/<APP_ID>.png and the scalable SVG beside them,
plus packaging/icons/companion.ico (Windows) and companion.icns (macOS) for the bundles;
tests/packaging/test_desktop_files.py checks they are present and up to date.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "io.github.companionapp.Companion"
SOURCE = ROOT / "resources" / "icons" / "companion.svg"
ICONS = ROOT / "packaging" / "icons" / "hicolor"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(size: int, out: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(SOURCE)).render(painter)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        raise OSError(f"could not write {out}")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for size in SIZES:
        render(size, ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
    scalable = ICONS / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable)
    for name, fmt in (("companion.ico", "ICO"), ("companion.icns", "ICNS")):
        render_format(256 if fmt == "ICO" else 512, ICONS.parent / name, fmt)
    return 0


def render_format(size: int, out: Path, fmt: str) -> None:
    png = out.with_suffix(".tmp.png")
    render(size, png)
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    png.unlink()
    if not image.save(str(out), fmt):
        raise OSError(f"could not write {out} ({fmt})")


if __name__ == "__main__":
    raise SystemExit(main())
