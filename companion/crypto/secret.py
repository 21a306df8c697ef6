"""A key held in a mutable buffer so it can be overwritten when the vault locks.

Python cannot promise that no copy of a secret survives elsewhere in memory (the interpreter
and C libraries make transient copies); wiping the one long-lived buffer is what we can do, and
core dumps are disabled while the vault is unlocked.
"""

from __future__ import annotations

import hmac


class SecretKey:
    __slots__ = ("_buffer", "_wiped")

    def __init__(self, data: bytes | bytearray) -> None:
        self._buffer = bytearray(data)
        self._wiped = False

    def __len__(self) -> int:
        return len(self._buffer)

    def __repr__(self) -> str:  # never print key material
        return f"SecretKey(<{len(self._buffer)} bytes{', wiped' if self.wiped else ''}>)"

    @property
    def wiped(self) -> bool:
        return self._wiped

    def reveal(self) -> bytes:
        """A short-lived bytes copy for an API that needs one (AES-GCM, HKDF, the SQLCipher key)."""
        if self.wiped:
            raise ValueError("this key was wiped")
        return bytes(self._buffer)

    def hex(self) -> str:
        return self.reveal().hex()

    def equals(self, other: SecretKey) -> bool:
        return hmac.compare_digest(self._buffer, other._buffer)

    def wipe(self) -> None:
        for index in range(len(self._buffer)):
            self._buffer[index] = 0
        self._wiped = True
