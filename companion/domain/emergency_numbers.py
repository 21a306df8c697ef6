"""Emergency and crisis numbers by country, for the first run (the patient confirms them).

Sources (checked for this table; docs/protocol.md is not where these live, see the notes below):
- Emergency numbers: the national numbers as published by each country's government; 112 works
  in every EU member state (European Commission, "112 - the European emergency number").
- Crisis lines: US 988 Suicide & Crisis Lifeline (988lifeline.org); Canada 9-8-8 Suicide Crisis
  Helpline (988.ca); UK and Ireland Samaritans 116 123 (samaritans.org); Australia Lifeline
  13 11 14 (lifeline.org.au); New Zealand "Need to talk?" 1737 (1737.org.nz); Germany
  TelefonSeelsorge 0800 111 0 111 (telefonseelsorge.de); France 3114 (3114.fr); Netherlands
  113 Zelfmoordpreventie 0800 0113 (113.nl); Spain 024 (Ministerio de Sanidad); Belgium
  Zelfmoordlijn 1813 (zelfmoord1813.be); Austria TelefonSeelsorge 142 (telefonseelsorge.at).
- Where no line is listed, the crisis line is left blank and the patient adds their own, or says
  they have none.

Nothing here is health data: these numbers are public and are shown before unlocking.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CountryNumbers:
    code: str  # ISO 3166-1 alpha-2
    name: str
    emergency: str
    crisis: str = ""  # "" when this table has no national line
    crisis_name: str = ""


_EU_112 = (
    ("AT", "Austria", "142", "TelefonSeelsorge"),
    ("BE", "Belgium", "1813", "Zelfmoordlijn"),
    ("BG", "Bulgaria", "", ""),
    ("HR", "Croatia", "", ""),
    ("CY", "Cyprus", "", ""),
    ("CZ", "Czechia", "", ""),
    ("DK", "Denmark", "", ""),
    ("EE", "Estonia", "", ""),
    ("FI", "Finland", "", ""),
    ("FR", "France", "3114", "3114 (suicide prevention)"),
    ("DE", "Germany", "0800 111 0 111", "TelefonSeelsorge"),
    ("GR", "Greece", "", ""),
    ("HU", "Hungary", "", ""),
    ("IT", "Italy", "", ""),
    ("LV", "Latvia", "", ""),
    ("LT", "Lithuania", "", ""),
    ("LU", "Luxembourg", "", ""),
    ("MT", "Malta", "", ""),
    ("NL", "Netherlands", "0800 0113", "113 Zelfmoordpreventie"),
    ("PL", "Poland", "", ""),
    ("PT", "Portugal", "", ""),
    ("RO", "Romania", "", ""),
    ("SK", "Slovakia", "", ""),
    ("SI", "Slovenia", "", ""),
    ("ES", "Spain", "024", "024 (suicide prevention)"),
    ("SE", "Sweden", "", ""),
)

COUNTRIES: tuple[CountryNumbers, ...] = (
    CountryNumbers("US", "United States", "911", "988", "988 Suicide & Crisis Lifeline"),
    CountryNumbers("CA", "Canada", "911", "988", "9-8-8 Suicide Crisis Helpline"),
    CountryNumbers("GB", "United Kingdom", "999", "116 123", "Samaritans"),
    CountryNumbers("IE", "Ireland", "112", "116 123", "Samaritans"),
    CountryNumbers("AU", "Australia", "000", "13 11 14", "Lifeline"),
    CountryNumbers("NZ", "New Zealand", "111", "1737", "Need to talk? 1737"),
    *(CountryNumbers(code, name, "112", crisis, who) for code, name, crisis, who in _EU_112),
)
_BY_CODE = {c.code: c for c in COUNTRIES}
OTHER = CountryNumbers("", "Another country", "", "", "")


def by_code(code: str) -> CountryNumbers:
    """The country's numbers, or ``OTHER`` (all blank: the patient types their own)."""
    return _BY_CODE.get(code.upper(), OTHER)


def country_from_locale(locale_name: str) -> str:
    """ "en_GB.UTF-8" -> "GB"; "" when the locale names no country in the table."""
    base = locale_name.split(".")[0].split("@")[0]
    for sep in ("_", "-"):
        if sep in base:
            code = base.split(sep)[-1].upper()
            return code if code in _BY_CODE else ""
    return ""
