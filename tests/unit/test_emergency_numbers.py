"""The first run's table of emergency and crisis numbers."""

from __future__ import annotations

from companion.domain.emergency_numbers import COUNTRIES, OTHER, by_code, country_from_locale

EU = ("AT", "BE", "DE", "ES", "FR", "IT", "NL", "PL", "PT", "SE")


def test_the_table_covers_the_issue() -> None:
    assert (by_code("US").emergency, by_code("US").crisis) == ("911", "988")
    assert (by_code("CA").emergency, by_code("CA").crisis) == ("911", "988")
    assert (by_code("GB").emergency, by_code("GB").crisis) == ("999", "116 123")
    assert (by_code("IE").emergency, by_code("IE").crisis) == ("112", "116 123")
    assert (by_code("AU").emergency, by_code("AU").crisis) == ("000", "13 11 14")
    assert (by_code("NZ").emergency, by_code("NZ").crisis) == ("111", "1737")
    assert all(by_code(code).emergency == "112" for code in EU)
    assert len({c.code for c in COUNTRIES}) == len(COUNTRIES)


def test_an_unknown_country_fills_nothing() -> None:
    assert by_code("ZZ") is OTHER and OTHER.emergency == "" and OTHER.crisis == ""


def test_the_country_comes_from_the_system_locale() -> None:
    assert country_from_locale("en_GB.UTF-8") == "GB"
    assert country_from_locale("de-DE") == "DE"
    assert country_from_locale("fr_CA@euro") == "CA"
    assert country_from_locale("C") == ""
    assert country_from_locale("xx_ZZ") == ""


def test_safety_card_reads_correctly_with_a_blank_crisis_line() -> None:
    from companion.domain.profile import Profile
    from companion.domain.scales import safety_card

    card = safety_card(Profile(emergency_number="112", crisis_line=""))
    text = " ".join(card.lines)
    assert "crisis line now" not in text and ": ." not in text
    assert "call 112 now" in text
    blank = " ".join(safety_card(Profile(emergency_number="", crisis_line="")).lines)
    assert "call your emergency number now" in blank
