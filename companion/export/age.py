"""Wrapping exports in the age format (https://age-encryption.org/v1) with ``pyrage``.

Two ways, both readable by the standard ``age``/``rage`` tools on the provider's side:

* a passphrase (scrypt): Companion generates one, shows it once, and the patient passes it
  to the provider separately (``age -d file.age``);
* the provider's X25519 public key (``age1...``), saved in the profile: only the matching
  identity (``AGE-SECRET-KEY-1...``) can open the file (``age -d -i key.txt file.age``).

Files made with ``age -a`` (ASCII armor: the binary file in base64 between
``-----BEGIN AGE ENCRYPTED FILE-----`` and ``-----END AGE ENCRYPTED FILE-----``) are read too.

Everything happens in memory: no plaintext ever touches a temp file.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Sequence

import pyrage
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from companion.errors import CompanionError
from companion.i18n import N_

MAGIC = b"age-encryption.org/v1\n"
ARMOR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
ARMOR_END = b"-----END AGE ENCRYPTED FILE-----"
ARMOR_LINE = 64  # base64 characters per line in the armor (the last line may be shorter)
MAX_SCRYPT_WORK_FACTOR = 22  # ~16 s on a slow laptop; higher is refused before trying
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read out and type
_GROUPS, _GROUP = 6, 5  # 30 characters, about 148 bits


class InvalidRecipientError(CompanionError):
    message = N_(
        'That is not an age public key. It starts with "age1" and is 62 characters long; '
        "ask your provider to send it again."
    )


class DecryptionError(CompanionError):
    message = N_(
        "The file could not be decrypted: the passphrase or key does not match, or the file "
        "is damaged. Nothing was imported."
    )
    vault_unchanged = True


class NoKeyError(CompanionError):
    message = N_("This file is encrypted; give its passphrase or the matching key file.")


def generate_passphrase() -> str:
    """Six groups of five easy characters, e.g. ``k7mqa-2rtwz-...``: shown once."""
    groups = ("".join(secrets.choice(_ALPHABET) for _ in range(_GROUP)) for _ in range(_GROUPS))
    return "-".join(groups)


def parse_recipient(text: str) -> x25519.Recipient:
    cleaned = text.strip()
    if not cleaned.startswith("age1") or len(cleaned) > 200:
        raise InvalidRecipientError()
    try:
        return x25519.Recipient.from_str(cleaned)
    except (pyrage.RecipientError, ValueError) as exc:
        raise InvalidRecipientError() from exc


def encrypt_with_passphrase(data: bytes, passphrase: str) -> bytes:
    if not passphrase:
        raise CompanionError(N_("An empty passphrase cannot protect an export."))
    return bytes(age_passphrase.encrypt(data, passphrase))


def encrypt_to_recipients(data: bytes, recipients: Sequence[str]) -> bytes:
    parsed = [parse_recipient(r) for r in recipients]
    if not parsed:
        raise InvalidRecipientError()
    return bytes(pyrage.encrypt(data, parsed))


def is_armored(data: bytes) -> bool:
    return data.lstrip(b" \t\r\n").startswith(ARMOR_BEGIN)


def is_age(data: bytes) -> bool:
    """An age file, binary or ASCII-armored (only the start is looked at)."""
    return data.startswith(MAGIC) or is_armored(data)


def dearmor(data: bytes) -> bytes:
    """The binary age file inside an ASCII armor (age's own rules: base64 lines of 64
    characters, the last one shorter; CRLF line ends and surrounding blank space allowed)."""
    damaged = DecryptionError(N_("The armored age file is damaged. Nothing was imported."))
    lines = data.strip(b" \t\r\n").replace(b"\r\n", b"\n").split(b"\n")
    if len(lines) < 3 or lines[0].rstrip() != ARMOR_BEGIN or lines[-1].rstrip() != ARMOR_END:
        raise damaged
    body = [line.strip() for line in lines[1:-1]]
    if any(len(line) != ARMOR_LINE for line in body[:-1]) or not 0 < len(body[-1]) <= ARMOR_LINE:
        raise damaged
    try:
        inner = base64.b64decode(b"".join(body), validate=True)
    except (binascii.Error, ValueError):
        raise damaged from None
    if not inner.startswith(MAGIC):
        raise damaged
    return inner


def parse_identities(text: str) -> list[x25519.Identity]:
    """Identities from an age key file (comments and blank lines are skipped)."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            found.append(x25519.Identity.from_str(line))
        except (pyrage.IdentityError, ValueError) as exc:
            raise CompanionError(
                N_("The key file does not hold an age secret key (AGE-SECRET-KEY-1...).")
            ) from exc
    if not found:
        raise CompanionError(
            N_("The key file does not hold an age secret key (AGE-SECRET-KEY-1...).")
        )
    return found


def _check_header(data: bytes) -> bool:
    """Refuses headers that would make decryption hang; True if a scrypt stanza is present."""
    end = data.find(b"\n---")
    if end < 0:
        raise DecryptionError(
            N_("The encrypted file is truncated or damaged. Nothing was imported.")
        )
    scrypt = False
    for line in data[len(MAGIC) : end].split(b"\n"):
        if not line.startswith(b"-> "):
            continue
        args = line[3:].split(b" ")
        if args[:1] == [b"scrypt"]:
            scrypt = True
            if len(args) != 3 or not args[2].isdigit() or len(args[2]) > 2:
                raise DecryptionError()
            if int(args[2]) > MAX_SCRYPT_WORK_FACTOR:
                raise DecryptionError(
                    N_(
                        "The file asks for an unreasonably slow key derivation, so it was not "
                        "opened. Nothing was imported."
                    )
                )
    return scrypt


def decrypt(
    data: bytes,
    *,
    passphrase: str | None = None,
    identities: Sequence[x25519.Identity] = (),
) -> bytes:
    """The plaintext, or ``DecryptionError``/``NoKeyError`` (never a library exception)."""
    if not is_age(data):
        raise DecryptionError(N_("This is not an age-encrypted file."), vault_unchanged=False)
    if is_armored(data):
        data = dearmor(data)
    uses_passphrase = _check_header(data)
    try:
        if uses_passphrase:
            if passphrase is None:
                raise NoKeyError()
            return bytes(age_passphrase.decrypt(data, passphrase))
        if not identities:
            raise NoKeyError(N_("This file is encrypted to a key; give the matching key file."))
        return bytes(pyrage.decrypt(data, list(identities)))
    except CompanionError:
        raise
    except Exception as exc:  # pyrage's DecryptError and whatever odd input provokes
        raise DecryptionError() from exc
    except BaseException as exc:  # a Rust panic surfaces as pyo3's PanicException
        if type(exc).__name__ != "PanicException":
            raise
        raise DecryptionError() from None
