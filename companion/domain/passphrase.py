"""Passphrase strength policy (zxcvbn), explained in plain words."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn: 0 too guessable ... 4 very unguessable
# zxcvbn 4.5 refuses more than 72 characters (ValueError) and slows down on long input. The
# first 72 characters are scored: what follows can only add to a passphrase's strength, so a
# long passphrase is at least as strong as its beginning, and a long weak one is still refused.
MAX_CHECKED = 72

LABELS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")


@dataclass(frozen=True, slots=True)
class Strength:
    score: int  # 0..4
    acceptable: bool
    label: str
    reason: str  # empty when acceptable; otherwise why it is refused, in plain words
    suggestion: str


def normalise(passphrase: str) -> str:
    """NFC, so the same passphrase typed on another keyboard or OS derives the same key."""
    return unicodedata.normalize("NFC", passphrase)


def assess(passphrase: str, user_inputs: list[str] | None = None) -> Strength:
    text = normalise(passphrase)
    if not text:
        return Strength(0, False, LABELS[0], "Choose a passphrase.", "")
    from zxcvbn import zxcvbn  # its word lists (~13 MB) load when a passphrase is chosen

    result = zxcvbn(text[:MAX_CHECKED], user_inputs=[u for u in (user_inputs or []) if u])
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    suggestions = feedback.get("suggestions") or []
    suggestion = (
        " ".join(suggestions) or "A few unrelated words make a strong, memorable passphrase."
    )
    reason = ""
    if len(text) < MIN_LENGTH:
        reason = f"Use at least {MIN_LENGTH} characters."
        score = min(score, 2)
    elif score < MIN_SCORE:
        warning = str(feedback.get("warning") or "").strip()
        reason = warning or "This passphrase would be too easy to guess."
    return Strength(score, not reason, LABELS[score], reason, suggestion)
