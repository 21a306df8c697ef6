"""A labelled slider bound to one numeric setting (the session's volumes, in Settings and in
the sound check): the caption shows the value and wraps at 200 %, every step is stored."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QLabel, QSlider

from companion.settings import Option, Settings
from companion.ui.widgets.text import label


def setting_slider(settings: Settings, option: Option[int], name: str, into: QBoxLayout) -> QSlider:
    """Adds the caption and the slider to ``into``; each change is stored at once (Settings
    coalesces the file writes), so whoever reads the setting hears it at its next use."""
    value = settings.get(option)
    caption: QLabel = label(f"{name}: {value}")  # wraps: long names fit at 200 %
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(option.minimum or 0, option.maximum or 100)
    slider.setPageStep(5)
    slider.setValue(value)
    slider.setAccessibleName(name)
    caption.setBuddy(slider)
    into.addWidget(caption)
    into.addWidget(slider)

    def changed(v: int) -> None:
        settings.set(option, v)
        caption.setText(f"{name}: {v}")

    slider.valueChanged.connect(changed)
    return slider
