"""The language the suite runs in: English, or e.g. COMPANION_TEST_LANGUAGE=pseudo to show every
word that is not translatable (the pseudo language marks each translated one)."""

from __future__ import annotations

import os

TEST_LANGUAGE = os.environ.get("COMPANION_TEST_LANGUAGE", "en")
