"""Which Python functions Qt calls into while something runs (``sys.setprofile``): a filter or
an override that Qt calls for every event shows here once per event."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType


def python_calls(during: Callable[[], object]) -> list[str]:
    """The Python functions called while ``during`` runs, as "module.function", in order."""
    names: list[str] = []

    def profile(frame: FrameType, event: str, _arg: object) -> None:
        if event == "call":
            names.append(f"{Path(frame.f_code.co_filename).stem}.{frame.f_code.co_name}")

    sys.setprofile(profile)
    try:
        during()
    finally:
        sys.setprofile(None)
    return names
