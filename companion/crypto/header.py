"""The vault header: a small file beside the database holding the wrapped data key.

Layout (UTF-8 text, so it can be inspected)::

    COMPANION-VAULT 1
    {"format":1,"vault_id":...,"slots":[...],"mac":...}      <- canonical JSON body
    sha256:<hex of the two lines above>

* Each slot wraps the 256-bit data key (DEK) with AES-256-GCM under a key-encryption key
  (KEK): Argon2id of the NFC passphrase, or HKDF of the recovery key. The slot's AAD is the
  header's fixed fields plus that slot's own parameters, salt and nonce, so none of them can be
  altered without the unwrap failing.
* ``mac`` is HMAC-SHA256 over the whole body (without ``mac``) under a key derived from the DEK,
  so after either slot unwraps, any change anywhere in the header (including the other slot) is
  detected as tampering.
* The last line is a plain checksum. It is not a security control (anyone can recompute it);
  it tells accidental damage ("the file is damaged") apart from a wrong passphrase, because a
  flipped bit inside a wrapped key would otherwise look exactly like a mistyped passphrase.

No password hash is stored: a wrong passphrase is detected by the failed unwrap.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import uuid
from dataclasses import dataclass, replace
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from companion.crypto import kdf, recovery
from companion.crypto.kdf import KdfParams
from companion.crypto.secret import SecretKey
from companion.domain.passphrase import normalise
from companion.errors import HeaderTamperedError, WrongPassphraseError, WrongRecoveryKeyError

MAGIC = b"COMPANION-VAULT 1\n"
FORMAT = 1
NONCE_BYTES = 12
DEK_BYTES = 32
PASSPHRASE = "passphrase"  # noqa: S105 (a slot name, not a secret)
RECOVERY = "recovery"
_MAC_INFO = b"companion/v1/header-mac"
MAX_HEADER_BYTES = 64 * 1024


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("expected base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


@dataclass(frozen=True, slots=True)
class Slot:
    kind: str  # PASSPHRASE or RECOVERY
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    params: KdfParams | None  # Argon2id parameters; None for the recovery slot (HKDF)

    def describe(self) -> dict[str, Any]:
        """Everything except the ciphertext: the slot's part of the AAD."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
        }
        if self.params is None:
            data["kdf"] = {"alg": "hkdf-sha256"}
        else:
            data["kdf"] = {
                "alg": "argon2id",
                "version": kdf.ARGON2_VERSION,
                "memory_kib": self.params.memory_kib,
                "iterations": self.params.iterations,
                "lanes": self.params.lanes,
            }
        return data

    def to_json(self) -> dict[str, Any]:
        return {**self.describe(), "wrapped_key": _b64(self.wrapped_key)}


@dataclass(frozen=True, slots=True)
class CommitMark:
    """The database's commit counter as the header last saw it (see storage.commits).

    ``pending`` means a commit numbered ``count`` was about to happen when the header was
    written: the database may hold ``count`` (it committed) or ``count - 1`` (it did not).
    """

    count: int
    pending: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"count": self.count, "pending": self.pending}


@dataclass(frozen=True, slots=True)
class VaultHeader:
    vault_id: str
    slots: tuple[Slot, ...]
    mac: bytes = b""
    commits: CommitMark | None = None  # None only in headers written before the counter existed

    # --- serialisation ------------------------------------------------------------------------
    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "format": FORMAT,
            "vault_id": self.vault_id,
            "cipher": "sqlcipher4",
            "slots": [slot.to_json() for slot in self.slots],
        }
        if self.commits is not None:
            body["commits"] = self.commits.to_json()
        return body

    def to_bytes(self) -> bytes:
        body = self.body()
        body["mac"] = _b64(self.mac)
        payload = MAGIC + _canonical(body) + b"\n"
        return payload + b"sha256:" + hashlib.sha256(payload).hexdigest().encode() + b"\n"

    @classmethod
    def from_bytes(cls, data: bytes) -> VaultHeader:
        """Parses a header; any damage, however small, raises HeaderTamperedError."""
        try:
            if len(data) > MAX_HEADER_BYTES or not data.startswith(MAGIC):
                raise ValueError("not a Companion header")
            payload, _, checksum_line = data.rpartition(b"sha256:")
            if not payload.endswith(b"\n") or not checksum_line.endswith(b"\n"):
                raise ValueError("truncated")
            expected = hashlib.sha256(payload).hexdigest().encode()
            if not hmac.compare_digest(checksum_line[:-1], expected):
                raise ValueError("checksum mismatch")
            raw_body = payload[len(MAGIC) : -1]
            body = json.loads(raw_body)
            if _canonical(body) != raw_body:
                raise ValueError("not canonical")
            return cls._from_body(body)
        except (ValueError, KeyError, TypeError) as exc:
            raise HeaderTamperedError() from exc

    @classmethod
    def _from_body(cls, body: dict[str, Any]) -> VaultHeader:
        if body.get("format") != FORMAT or body.get("cipher") != "sqlcipher4":
            raise ValueError("unsupported format")
        vault_id = body["vault_id"]
        if not isinstance(vault_id, str) or len(vault_id) != 32:
            raise ValueError("bad vault id")
        slots = []
        for item in body["slots"]:
            kind = item["kind"]
            spec = item["kdf"]
            params: KdfParams | None
            if kind == PASSPHRASE and spec["alg"] == "argon2id":
                if spec["version"] != kdf.ARGON2_VERSION:
                    raise ValueError("unsupported argon2 version")
                params = KdfParams(
                    int(spec["memory_kib"]), int(spec["iterations"]), int(spec["lanes"])
                )
                params.validate()
            elif kind == RECOVERY and spec["alg"] == "hkdf-sha256":
                params = None
            else:
                raise ValueError("unknown slot")
            slot = Slot(
                kind,
                _unb64(item["salt"]),
                _unb64(item["nonce"]),
                _unb64(item["wrapped_key"]),
                params,
            )
            if len(slot.nonce) != NONCE_BYTES or len(slot.wrapped_key) != DEK_BYTES + 16:
                raise ValueError("bad slot sizes")
            slots.append(slot)
        kinds = [slot.kind for slot in slots]
        if sorted(kinds) != sorted({PASSPHRASE, RECOVERY}):
            raise ValueError("slots missing or repeated")
        commits: CommitMark | None = None
        if "commits" in body:
            mark = body["commits"]
            count, pending = mark["count"], mark["pending"]
            if type(count) is not int or not (0 <= count < 2**31) or type(pending) is not bool:
                raise ValueError("bad commit mark")
            commits = CommitMark(count, pending)
        return cls(vault_id, tuple(slots), _unb64(body["mac"]), commits)

    # --- slots --------------------------------------------------------------------------------
    def slot(self, kind: str) -> Slot:
        return next(slot for slot in self.slots if slot.kind == kind)

    def aad(self, slot: Slot) -> bytes:
        return MAGIC + _canonical(
            {"format": FORMAT, "vault_id": self.vault_id, "slot": slot.describe()}
        )

    def _mac_for(self, dek: SecretKey) -> bytes:
        mac_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_MAC_INFO).derive(
            dek.reveal()
        )
        return hmac.new(mac_key, _canonical(self.body()), hashlib.sha256).digest()

    def verify_mac(self, dek: SecretKey) -> None:
        if not hmac.compare_digest(self._mac_for(dek), self.mac):
            raise HeaderTamperedError()

    def sealed(self, dek: SecretKey) -> VaultHeader:
        return replace(self, mac=self._mac_for(dek))

    def with_slot(self, slot: Slot) -> VaultHeader:
        others = tuple(s for s in self.slots if s.kind != slot.kind)
        return replace(self, slots=(*others, slot), mac=b"")

    def with_commits(self, commits: CommitMark, dek: SecretKey) -> VaultHeader:
        """The same header with a new commit mark, sealed again (no key derivation: cheap)."""
        return replace(self, commits=commits, mac=b"").sealed(dek)


# --- wrapping -------------------------------------------------------------------------------------
def _wrap(
    vault_id: str, kind: str, kek: bytes, salt: bytes, params: KdfParams | None, dek: SecretKey
) -> Slot:
    nonce = os.urandom(NONCE_BYTES)
    draft = Slot(kind, salt, nonce, b"", params)
    aad = VaultHeader(vault_id, ()).aad(draft)
    return replace(draft, wrapped_key=AESGCM(kek).encrypt(nonce, dek.reveal(), aad))


def _unwrap(header: VaultHeader, slot: Slot, kek: bytes) -> SecretKey:
    dek = SecretKey(AESGCM(kek).decrypt(slot.nonce, slot.wrapped_key, header.aad(slot)))
    header.verify_mac(dek)  # the other slot and every field must be as sealed
    return dek


def passphrase_slot(vault_id: str, passphrase: str, params: KdfParams, dek: SecretKey) -> Slot:
    salt = os.urandom(kdf.SALT_BYTES)
    kek = kdf.derive(normalise(passphrase).encode("utf-8"), salt, params)
    return _wrap(vault_id, PASSPHRASE, kek, salt, params, dek)


def recovery_slot(vault_id: str, recovery_secret: SecretKey, dek: SecretKey) -> Slot:
    salt = os.urandom(kdf.SALT_BYTES)
    kek = recovery.kek_from_recovery(recovery_secret, salt)
    return _wrap(vault_id, RECOVERY, kek, salt, None, dek)


def new_header(
    passphrase: str,
    recovery_secret: SecretKey,
    params: KdfParams,
    dek: SecretKey,
    vault_id: str | None = None,
    commits: CommitMark | None = None,
) -> VaultHeader:
    """A header for ``dek``. A key rotation passes the vault's ``vault_id`` and commit mark on."""
    vault_id = vault_id or uuid.uuid4().hex
    slots = (
        passphrase_slot(vault_id, passphrase, params, dek),
        recovery_slot(vault_id, recovery_secret, dek),
    )
    return VaultHeader(vault_id, slots, commits=commits or CommitMark(0)).sealed(dek)


def unwrap_with_passphrase(header: VaultHeader, passphrase: str) -> SecretKey:
    slot = header.slot(PASSPHRASE)
    assert slot.params is not None
    kek = kdf.derive(normalise(passphrase).encode("utf-8"), slot.salt, slot.params)
    try:
        return _unwrap(header, slot, kek)
    except InvalidTag as exc:
        raise WrongPassphraseError() from exc


def unwrap_with_recovery(header: VaultHeader, recovery_secret: SecretKey) -> SecretKey:
    slot = header.slot(RECOVERY)
    kek = recovery.kek_from_recovery(recovery_secret, slot.salt)
    try:
        return _unwrap(header, slot, kek)
    except InvalidTag as exc:
        raise WrongRecoveryKeyError() from exc
