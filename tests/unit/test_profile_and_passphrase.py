from __future__ import annotations

from companion.domain.passphrase import assess, normalise
from companion.domain.profile import Profile, validate_profile


def test_profile_needs_someone_to_call() -> None:
    problems = validate_profile(Profile())
    assert set(problems) == {"provider_name", "provider_contact"}
    ok = Profile(provider_name="Dr. Lane", provider_contact="555 0100")
    assert validate_profile(ok) == {}


def test_profile_limits() -> None:
    too_long = Profile(provider_name="x" * 201, provider_contact="1")
    assert "provider_name" in validate_profile(too_long)
    bad_hold = Profile(provider_name="a", provider_contact="1").with_prescription(hold_minutes=90)
    assert "hold_minutes" in validate_profile(bad_hold)
    assert "emergency_number" in validate_profile(
        Profile(provider_name="a", provider_contact="1", emergency_number=" ")
    )


def test_passphrase_policy() -> None:
    assert not assess("").acceptable
    short = assess("Tr0ub4!")
    assert not short.acceptable and "at least" in short.reason
    common = assess("password1234")
    assert not common.acceptable and common.reason
    strong = assess("correct horse battery staple 42")
    assert strong.acceptable and strong.reason == "" and strong.score >= 3


def test_passphrase_is_nfc_normalised() -> None:
    decomposed = "cafe\u0301 au lait et croissants"
    assert normalise(decomposed) == normalise("caf\u00e9 au lait et croissants")
