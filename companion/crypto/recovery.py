"""Recovery keys: 200 random bits shown once as 8 groups of 5 easy-to-read characters.

The key has enough entropy that it needs no slow KDF; HKDF turns it into a key-encryption key.
"""

from __future__ import annotations

import base64
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from companion.crypto.secret import SecretKey
from companion.errors import WrongRecoveryKeyError
from companion.i18n import N_

RECOVERY_BYTES = 25  # 200 bits -> 40 base32 characters
GROUP = 5
_CONFUSABLE = str.maketrans({"0": "O", "1": "I", "8": "B"})
_INFO = b"companion/v1/recovery-kek"


def generate() -> tuple[str, SecretKey]:
    """Returns the text to show the patient and the secret it encodes."""
    raw = secrets.token_bytes(RECOVERY_BYTES)
    return format_key(raw), SecretKey(raw)


def format_key(raw: bytes) -> str:
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i : i + GROUP] for i in range(0, len(text), GROUP))


def parse(text: str) -> SecretKey:
    """Accepts the key as typed: any case, spaces or dashes, 0/1/8 read as O/I/B."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_CONFUSABLE)
    if len(compact) != RECOVERY_BYTES * 8 // 5:
        raise WrongRecoveryKeyError(
            N_("A recovery key has 40 letters and digits in 8 groups; please check what was typed.")
        )
    try:
        return SecretKey(base64.b32decode(compact))
    except ValueError as exc:
        raise WrongRecoveryKeyError() from exc


def kek_from_recovery(recovery: SecretKey, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_INFO).derive(
        recovery.reveal()
    )
