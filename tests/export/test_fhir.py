"""The FHIR export as a clinic's server sees it: every bundle validates against the official
FHIR R4 JSON schema (tests/export/data/fhir.schema.json, see tests/export/data/README.md), a
transaction bundle says how to file each entry (conditional creates, so sending twice creates
nothing twice) and its references resolve by fullUrl, the Patient is identified by a random
per-vault identifier (never by the name), and every LOINC code has a valid check digit."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from jsonschema import Draft6Validator
from jsonschema.exceptions import best_match

from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.domain.export_selection import Selection
from companion.domain.profile import PATIENT_ID_SYSTEM
from companion.errors import InvalidInputError
from companion.export import fhir
from companion.paths import DataPaths
from companion.services.container import Services, build_services
from companion.services.export import ExportFormat, ExportRequest, FhirBundle, Protection
from tests.support.export import export_bytes
from tests.support.services import make_profile
from tests.support.vault import PASSPHRASE

SCHEMA = Path(__file__).parent / "data" / "fhir.schema.json"
UCUM_CODES = {"mm[Hg]": "millimeter of mercury", "/min": "per minute"}


@cache
def validator() -> Draft6Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"  # FHIR R4
    Draft6Validator.check_schema(schema)
    return Draft6Validator(schema)


def schema_problem(document: Any) -> str | None:
    error = best_match(validator().iter_errors(document))
    return None if error is None else f"{list(error.absolute_path)}: {error.message[:300]}"


# LOINC answer list LL358-3 ("Not at all" ... "Nearly every day"), as LOINC publishes it. Answer
# codes (LA...) are checked against it: their check digit is not the terms' mod 10.
LL358_3 = {"LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"}


def loinc_check_digit_ok(code: str) -> bool:
    """LOINC's mod 10 check digit (Luhn) of a LOINC term code like 44261-6."""
    body, _, check = code.partition("-")
    if not body.isdigit() or len(check) != 1 or not check.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return (10 - total % 10) % 10 == int(check)


def walk(node: Any) -> Iterator[tuple[str, Any, Any]]:
    """(key, value, parent) for every key in the document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value, node
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def _fhir(services: Services, tmp_path: Path, bundle: FhirBundle, name: str = "b") -> Any:
    out = tmp_path / f"{name}.fhir.json"
    services.export.export(
        ExportRequest(Selection(), ExportFormat.FHIR, Protection.plaintext(confirmed=True), bundle),
        out,
    )
    return json.loads(out.read_bytes())


@pytest.fixture
def identified(filled: Services) -> Services:
    filled.export.set_patient_identity(
        mrn="A-000123", mrn_system="https://clinic.example/mrn", birth_date="1990-04-23"
    )
    return filled


def test_the_default_is_a_transaction_that_validates_against_the_official_r4_schema(
    identified: Services, tmp_path: Path
) -> None:
    bundle = json.loads(export_bytes(identified, tmp_path, ExportFormat.FHIR))
    assert schema_problem(bundle) is None
    assert bundle["type"] == "transaction"
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls) and all(u.startswith("urn:uuid:") for u in urls)
    for entry in bundle["entry"]:
        resource, request = entry["resource"], entry["request"]
        assert "id" not in resource  # the server assigns ids on create
        assert request["method"] == "POST" and request["url"] == resource["resourceType"]
        identifiers = resource["identifier"]
        identifiers = identifiers if isinstance(identifiers, list) else [identifiers]
        system, _, value = request["ifNoneExist"].removeprefix("identifier=").partition("|")
        assert {"system": system, "value": value}.items() <= next(
            i for i in identifiers if i["system"] == system
        ).items()
    # Every reference resolves to an entry of the bundle, by fullUrl.
    references = [v for k, v, _ in walk(bundle) if k == "reference"]
    assert references and set(references) <= set(urls)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Patient") == 1 and kinds.count("DocumentReference") == 1
    assert {"QuestionnaireResponse", "Observation"} <= set(kinds)
    # The R4B models of fhir.resources read it too (a second, independent reader).
    assert Bundle.model_validate(bundle).type == "transaction"


# The definitions HL7's 4.0.1 correction changed in the JSON schema (tests/export/data/README.md):
# a bundle free of them validates the same against the vendored 4.0.0 file as against 4.0.1.
CHANGED_IN_4_0_1 = {"CapabilityStatement", "ImplementationGuide", "StructureDefinition", "Contract"}


def test_the_bundle_uses_no_resource_the_4_0_1_correction_changed(
    identified: Services, tmp_path: Path
) -> None:
    for kind in (FhirBundle.TRANSACTION, FhirBundle.COLLECTION):
        bundle = _fhir(identified, tmp_path, kind, name=kind.value)
        types = {v for k, v, _ in walk(bundle) if k == "resourceType"}
        assert types <= {
            "Bundle",
            "Patient",
            "Observation",
            "QuestionnaireResponse",
            "DocumentReference",
        }
        assert not types & CHANGED_IN_4_0_1


def test_the_patient_has_a_random_identifier_an_mrn_and_a_birth_date(
    identified: Services, tmp_path: Path
) -> None:
    bundle = _fhir(identified, tmp_path, FhirBundle.TRANSACTION)
    patient = bundle["entry"][0]["resource"]
    assert patient["resourceType"] == "Patient" and patient["birthDate"] == "1990-04-23"
    mrn, own = patient["identifier"]
    assert mrn["type"]["coding"][0]["code"] == "MR"
    assert (mrn["system"], mrn["value"]) == ("https://clinic.example/mrn", "A-000123")
    identity = identified.export.patient_identity()
    assert own == {"use": "secondary", "system": PATIENT_ID_SYSTEM, "value": identity.uri}
    assert bundle["entry"][0]["request"]["ifNoneExist"] == (
        f"identifier={PATIENT_ID_SYSTEM}|{identity.uri}"
    )
    assert "Sam" not in json.dumps(patient["identifier"])  # never derived from the name


def test_sending_twice_creates_nothing_twice_and_two_sams_stay_two(
    filled: Services, second: Services, tmp_path: Path
) -> None:
    first = _fhir(filled, tmp_path, FhirBundle.TRANSACTION, "first")
    again = _fhir(filled, tmp_path, FhirBundle.TRANSACTION, "again")

    def creates(bundle: Any) -> list[str]:
        return [
            e["request"]["ifNoneExist"]
            for e in bundle["entry"]
            if e["resource"]["resourceType"] != "DocumentReference"  # a new PDF each time
        ]

    assert creates(first) == creates(again)
    # Another vault, the same name: another Patient, other resources.
    second.profile.save(make_profile())
    filled_name = first["entry"][0]["resource"]["name"]
    other = _fhir(second, tmp_path, FhirBundle.TRANSACTION, "other")
    assert other["entry"][0]["resource"]["name"][0]["text"] == "Sam"
    assert filled_name[0]["text"] != "" and schema_problem(other) is None
    assert (
        other["entry"][0]["request"]["ifNoneExist"] != first["entry"][0]["request"]["ifNoneExist"]
    )
    assert not set(creates(other)) & set(creates(first))


def test_a_collection_is_still_offered_and_validates(identified: Services, tmp_path: Path) -> None:
    bundle = _fhir(identified, tmp_path, FhirBundle.COLLECTION)
    assert schema_problem(bundle) is None
    assert bundle["type"] == "collection"
    assert all("request" not in e for e in bundle["entry"])
    assert all(e["fullUrl"] == f"urn:uuid:{e['resource']['id']}" for e in bundle["entry"])
    assert Bundle.model_validate(bundle).type == "collection"


def test_the_schema_check_catches_what_a_server_would_refuse(
    identified: Services, tmp_path: Path
) -> None:
    bundle = _fhir(identified, tmp_path, FhirBundle.TRANSACTION)
    damages: tuple[Callable[[dict[str, Any]], None], ...] = (
        lambda b: b["entry"][0]["resource"].update(birthDate="23/04/1990"),
        lambda b: b["entry"][0]["request"].update(method="FETCH"),
        lambda b: b["entry"][1]["resource"].update(status="finished"),
        lambda b: b["entry"][0]["resource"].update(nickname="Sam"),
    )
    for damage in damages:
        broken = json.loads(json.dumps(bundle))
        damage(broken)
        assert schema_problem(broken) is not None


def test_every_loinc_code_has_a_valid_check_digit_and_units_are_ucum(
    identified: Services, tmp_path: Path
) -> None:
    bundle = _fhir(identified, tmp_path, FhirBundle.TRANSACTION)
    codes = {
        parent["code"]
        for key, value, parent in walk(bundle)
        if key == "system" and value == fhir.LOINC and "code" in parent
    }
    codes |= {v for k, v, _ in walk(bundle) if k == "linkId"}
    codes |= {
        v.removeprefix("http://loinc.org/q/") for k, v, _ in walk(bundle) if k == "questionnaire"
    }
    assert {"44261-6", "70274-6", "85354-9", "8480-6", "8462-4", "8867-4", "51855-5"} <= codes
    answers = {c for c in codes if c.startswith("LA")}
    assert answers and answers <= LL358_3
    bad = sorted(c for c in codes - answers if not loinc_check_digit_ok(c))
    assert bad == []
    assert not loinc_check_digit_ok("8480-5") and not loinc_check_digit_ok("44261-7")
    units = {
        (v["code"], v["unit"])
        for k, v, _ in walk(bundle)
        if k == "valueQuantity" and v["system"] == fhir.UCUM
    }
    assert units and {code for code, _ in units} <= set(UCUM_CODES)


def test_identity_values_are_checked(filled: Services) -> None:
    for kwargs, field in (
        ({"birth_date": "23/04/1990"}, "birth_date"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"mrn": "A 1"}, "mrn"),
        ({"mrn": "A1"}, "mrn_system"),
        ({"mrn": "A1", "mrn_system": "clinic mrn"}, "mrn_system"),
    ):
        with pytest.raises(InvalidInputError) as caught:
            filled.export.set_patient_identity(**kwargs)
        assert field in caught.value.problems
    uid = filled.export.patient_identity().uid
    saved = filled.export.set_patient_identity(birth_date="1990-04-23")
    assert saved.uid == uid and saved.birth_date == "1990-04-23" and saved.mrn == ""
    cleared = filled.export.set_patient_identity()
    assert cleared.uid == uid and cleared.birth_date == ""


def test_a_preview_writes_nothing_and_the_identifier_is_kept_by_a_complete_export(
    filled: Services, tmp_path: Path, fast_kdf: KdfParams, manual_clock: ManualClock
) -> None:
    uid = filled.export.patient_identity().uid
    complete = export_bytes(filled, tmp_path, selection=Selection.whole_vault())
    paths = DataPaths(tmp_path / "new-computer")
    paths.ensure()
    moved = build_services(paths, manual_clock, kdf=fast_kdf)
    try:
        moved.vault.create(PASSPHRASE)
        moved.importer.import_bytes(complete)
        assert moved.export.patient_identity().uid == uid
    finally:
        moved.worker.shutdown()
        moved.vault.lock()


def test_an_older_export_without_the_identity_fields_still_imports(
    filled: Services, second: Services, tmp_path: Path
) -> None:
    filled.export.patient_identity()
    document = json.loads(export_bytes(filled, tmp_path, selection=Selection.whole_vault()))
    for row in document["records"]["export_profile"]:
        for name in ("patient_uid", "mrn", "mrn_system", "birth_date"):
            del row[name]
    report = second.importer.import_bytes(json.dumps(document).encode())
    assert report.added["export_profile"] == 1
    assert second.export.patient_identity().uid  # made on first use
    assert date.fromisoformat("1990-04-23")  # (the format the profile stores)
