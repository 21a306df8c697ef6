"""A FHIR R4 (4.0.1) ``Bundle`` of what the patient chose to share.

Two kinds of bundle:

* ``transaction`` (the default, for sending to a FHIR server's base URL): every entry has a
  ``request`` (``POST`` to its resource type) with a conditional create, ``ifNoneExist:
  identifier=<system>|<value>``, so sending the same file twice creates nothing twice; the
  entries refer to each other by their ``fullUrl`` (``urn:uuid:...``), which the server
  replaces by the ids it assigns; resources carry no ``id`` (the server gives it);
* ``collection``: the same resources with stable ids, no ``request``.

Resources:

* ``Patient``: the name as the patient entered it, the vault's random identifier
  (``urn:ietf:rfc:3986`` | ``urn:uuid:...``, made once per vault, never derived from the name),
  the clinic's record number (``type`` MR, under the clinic's own system URI) and the birth
  date when the patient gave them;
* a ``QuestionnaireResponse`` per PHQ-9 / GAD-7, items coded with their LOINC item codes and
  the LOINC answer codes (LL358-3), the panel as ``questionnaire`` (``http://loinc.org/q/...``);
* an ``Observation`` (category ``survey``) for each total: 44261-6 (PHQ-9), 70274-6 (GAD-7),
  ``derivedFrom`` its response;
* blood-pressure panels 85354-9 with systolic 8480-6 and diastolic 8462-4 components, and heart
  rate 8867-4 (category ``vital-signs``, UCUM units);
* a ``DocumentReference`` carrying the PDF report (base64).

Every resource has an ``identifier`` (``urn:ietf:rfc:3986`` | ``urn:uuid:...``) made from the
patient's random identifier and the vault's stable record id, so two exports of the same data
produce the same resources, and two patients' never meet. The tests validate every bundle
against the official FHIR R4 JSON schema and check each LOINC code's check digit.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from typing import Any

from companion.domain.profile import PATIENT_ID_SYSTEM, PatientIdentity
from companion.domain.scales import ANSWERS, GAD7, PHQ9, Scale
from companion.export.jsondoc import format_datetime
from companion.export.report_model import Report, ScorePoint, VitalsSet
from companion.i18n import _

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
URI = PATIENT_ID_SYSTEM  # identifiers whose value is a URI (urn:uuid:...)
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
TRANSACTION = "transaction"
COLLECTION = "collection"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
_NAMESPACE = uuid.UUID("6f1c2b0e-3d4a-4c55-9e8f-2a7b1c9d0e11")
TOTAL_DISPLAY = {
    PHQ9.loinc_total: "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
    GAD7.loinc_total: "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
}


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def _time(report: Report, value: Any) -> str:
    # FHIR dateTime with an offset; UTC keeps it unambiguous.
    return format_datetime(value).replace(".000000Z", "Z")


def _coding(code: str, display: str, system: str = LOINC) -> dict[str, Any]:
    # ``display`` is the code system's own display (LOINC's official English name), whatever
    # the patient's language: a receiving system checks it against the code. The free ``text``
    # beside a code, and the report's description and title, are in the patient's language.
    return {"system": system, "code": code, "display": display}


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [_coding(code, display, CATEGORY)]}]


class _Builder:
    """Collects the entries of one bundle: ``add`` gives each resource its identifier, its
    ``fullUrl`` and, in a transaction, its conditional create."""

    def __init__(self, identity: PatientIdentity, bundle_type: str) -> None:
        if bundle_type not in (TRANSACTION, COLLECTION):
            raise ValueError(f"unknown bundle type {bundle_type!r}")
        self.identity = identity
        self.transaction = bundle_type == TRANSACTION
        self.entries: list[dict[str, Any]] = []

    def key(self, *parts: str) -> str:
        """A stable UUID for one resource of THIS patient (the vault's random id is part of
        it, so two patients' records can never share one)."""
        return _uuid(self.identity.uid, *parts)

    def add(self, key: str, resource: dict[str, Any], single_identifier: bool = False) -> str:
        """Adds the resource; returns its ``fullUrl`` for references."""
        value = f"urn:uuid:{key}"
        identifier = {"system": URI, "value": value}
        if "identifier" not in resource:
            resource["identifier"] = identifier if single_identifier else [identifier]
        entry: dict[str, Any] = {"fullUrl": value, "resource": resource}
        if self.transaction:
            entry["request"] = {
                "method": "POST",
                "url": resource["resourceType"],
                "ifNoneExist": f"identifier={URI}|{value}",
            }
        else:
            resource["id"] = key
        # "id" after "resourceType", as FHIR writes it (cosmetic)
        ordered = {"resourceType": resource.pop("resourceType")}
        if "id" in resource:
            ordered["id"] = resource.pop("id")
        ordered.update(resource)
        entry["resource"] = ordered
        self.entries.append(entry)
        return value


def _patient(report: Report, identity: PatientIdentity) -> dict[str, Any]:
    identifiers: list[dict[str, Any]] = [{"use": "secondary", "system": URI, "value": identity.uri}]
    if identity.mrn:
        identifiers.insert(
            0,
            {
                "use": "usual",
                "type": {"coding": [{"system": IDENTIFIER_TYPE, "code": "MR"}]},
                "system": identity.mrn_system,
                "value": identity.mrn,
            },
        )
    patient: dict[str, Any] = {"resourceType": "Patient", "identifier": identifiers}
    if report.patient_name:
        patient["name"] = [{"text": report.patient_name}]
    if identity.birth_date:
        patient["birthDate"] = identity.birth_date
    return patient


def build_bundle(
    report: Report,
    pdf: bytes | None,
    identity: PatientIdentity,
    bundle_type: str = TRANSACTION,
) -> dict[str, Any]:
    if not identity.uid:
        raise ValueError("the patient's random identifier is missing")
    builder = _Builder(identity, bundle_type)
    patient_url = builder.add(identity.uid, _patient(report, identity))
    # The Patient's conditional create matches on the vault's random identifier.
    patient_ref = {"reference": patient_url}

    for summary in (report.phq9, report.gad7):
        for point in summary.points:
            _questionnaire(builder, report, summary.scale, point, patient_ref)
    for session in report.sessions:
        for vitals in (session.vitals_before, session.vitals_after):
            if vitals is not None:
                _vitals(builder, report, vitals, session.id, patient_ref)
    for vitals in report.other_vitals:
        _vitals(builder, report, vitals, "other", patient_ref)
    if pdf is not None:
        _document(builder, report, pdf, patient_ref)

    generated = _time(report, report.generated_at)
    digest = hashlib.sha256(json.dumps(builder.entries, sort_keys=True).encode()).hexdigest()
    return {
        "resourceType": "Bundle",
        "id": _uuid("bundle", digest),
        "meta": {"lastUpdated": generated},
        "identifier": {"system": URI, "value": f"urn:uuid:{_uuid('id', digest)}"},
        "type": bundle_type,
        "timestamp": generated,
        "entry": builder.entries,
    }


def _questionnaire(
    builder: _Builder, report: Report, scale: Scale, point: ScorePoint, patient: dict[str, str]
) -> None:
    authored = _time(report, point.taken_at)
    items = []
    for item, value in zip(scale.items, point.answers, strict=False):
        answer = ANSWERS[value]
        items.append(
            {
                "linkId": item.loinc,
                "text": item.text,
                "answer": [{"valueCoding": _coding(answer.loinc, answer.text)}],
            }
        )
    items.append(
        {
            "linkId": scale.loinc_total,
            "text": TOTAL_DISPLAY[scale.loinc_total],
            "answer": [{"valueInteger": point.total}],
        }
    )
    response = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"http://loinc.org/q/{scale.loinc_panel}",
        "status": "completed",
        "subject": patient,
        "authored": authored,
        "item": items,
    }
    # QuestionnaireResponse.identifier is a single Identifier in R4.
    response_url = builder.add(builder.key("qr", point.id), response, single_identifier=True)
    total = {
        "resourceType": "Observation",
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": {
            "coding": [_coding(scale.loinc_total, TOTAL_DISPLAY[scale.loinc_total])],
            "text": f"{scale.name} total score",
        },
        "subject": patient,
        "effectiveDateTime": authored,
        "valueInteger": point.total,
        "interpretation": [{"text": scale.band_for(point.total).label}],
        "derivedFrom": [{"reference": response_url}],
    }
    builder.add(builder.key("total", point.id), total)


def _quantity(value: float, unit: str, code: str) -> dict[str, Any]:
    return {"value": round(value, 1), "unit": unit, "system": UCUM, "code": code}


def _vitals(
    builder: _Builder, report: Report, v: VitalsSet, context: str, patient: dict[str, str]
) -> None:
    key = f"{context}/{v.phase}/{format_datetime(v.taken_at)}"
    when = _time(report, v.taken_at)
    note = [{"text": f"{v.phase} session" if v.phase in ("before", "after") else "home reading"}]
    if v.systolic is not None and v.diastolic is not None:
        builder.add(
            builder.key("bp", key),
            {
                "resourceType": "Observation",
                "status": "final",
                "category": _category("vital-signs", "Vital Signs"),
                "code": {
                    "coding": [
                        _coding("85354-9", "Blood pressure panel with all children optional")
                    ],
                    "text": _("Blood pressure"),
                },
                "subject": patient,
                "effectiveDateTime": when,
                "note": note,
                "component": [
                    {
                        "code": {"coding": [_coding("8480-6", "Systolic blood pressure")]},
                        "valueQuantity": _quantity(v.systolic, "mmHg", "mm[Hg]"),
                    },
                    {
                        "code": {"coding": [_coding("8462-4", "Diastolic blood pressure")]},
                        "valueQuantity": _quantity(v.diastolic, "mmHg", "mm[Hg]"),
                    },
                ],
            },
        )
    if v.pulse is not None:
        builder.add(
            builder.key("hr", key),
            {
                "resourceType": "Observation",
                "status": "final",
                "category": _category("vital-signs", "Vital Signs"),
                "code": {"coding": [_coding("8867-4", "Heart rate")], "text": _("Heart rate")},
                "subject": patient,
                "effectiveDateTime": when,
                "note": note,
                "valueQuantity": _quantity(v.pulse, "beats/minute", "/min"),
            },
        )


def _document(builder: _Builder, report: Report, pdf: bytes, patient: dict[str, str]) -> None:
    when = _time(report, report.generated_at)
    builder.add(
        builder.key("document", format_datetime(report.generated_at)),
        {
            "resourceType": "DocumentReference",
            "status": "current",
            "type": {"coding": [_coding("51855-5", "Patient Note")], "text": _("Patient report")},
            "subject": patient,
            "date": when,
            "description": _("Companion report: sessions, questionnaires, vitals, reflections"),
            "content": [
                {
                    "attachment": {
                        "contentType": "application/pdf",
                        "data": base64.b64encode(pdf).decode("ascii"),
                        "size": len(pdf),
                        "hash": base64.b64encode(hashlib.sha1(pdf).digest()).decode("ascii"),  # noqa: S324 (FHIR defines the hash as SHA-1)
                        "title": _("Companion report") + ".pdf",
                        "creation": when,
                    }
                }
            ],
        },
    )


def dumps(bundle: dict[str, Any]) -> bytes:
    return (json.dumps(bundle, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
