"""A FHIR R4 ``Bundle`` (type ``collection``) of what the patient chose to share.

* ``Patient`` (the name as the patient entered it);
* a ``QuestionnaireResponse`` per PHQ-9 / GAD-7, items coded with their LOINC item codes and
  the LOINC answer codes (LL358-3), the panel as ``questionnaire`` (``http://loinc.org/q/...``);
* an ``Observation`` (category ``survey``) for each total: 44261-6 (PHQ-9), 70274-6 (GAD-7),
  ``derivedFrom`` its response;
* blood-pressure panels 85354-9 with systolic 8480-6 and diastolic 8462-4 components, and heart
  rate 8867-4 (category ``vital-signs``, UCUM units);
* a ``DocumentReference`` carrying the PDF report (base64).

Resource ids come from the vault's stable record ids, so two exports of the same data produce
the same resources. The tests validate the bundle with ``fhir.resources`` (its R4B models,
FHIR 4.3, which accept these R4 resources unchanged).
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from typing import Any

from companion.domain.scales import ANSWERS, GAD7, PHQ9, Scale
from companion.export.jsondoc import format_datetime
from companion.export.report import Report, ScorePoint, VitalsSet

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
_NAMESPACE = uuid.UUID("6f1c2b0e-3d4a-4c55-9e8f-2a7b1c9d0e11")
TOTAL_DISPLAY = {
    PHQ9.loinc_total: "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
    GAD7.loinc_total: "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
}
PANEL_DISPLAY = {
    PHQ9.loinc_panel: "PHQ-9 quick depression assessment panel [Reported.PHQ]",
    GAD7.loinc_panel: "Generalized anxiety disorder 7 item (GAD-7)",
}


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def _time(report: Report, value: Any) -> str:
    # FHIR dateTime with an offset; UTC keeps it unambiguous.
    return format_datetime(value).replace(".000000Z", "Z")


def _coding(code: str, display: str, system: str = LOINC) -> dict[str, Any]:
    return {"system": system, "code": code, "display": display}


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [_coding(code, display, CATEGORY)]}]


def _entry(full_url: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{full_url}", "resource": resource}


def build_bundle(report: Report, pdf: bytes | None) -> dict[str, Any]:
    patient_id = _uuid("patient", report.patient_name)
    patient_ref = {"reference": f"urn:uuid:{patient_id}"}
    patient: dict[str, Any] = {"resourceType": "Patient", "id": patient_id}
    if report.patient_name:
        patient["name"] = [{"text": report.patient_name}]
    entries = [_entry(patient_id, patient)]

    for summary in (report.phq9, report.gad7):
        for point in summary.points:
            entries.extend(_questionnaire(report, summary.scale, point, patient_ref))
    for session in report.sessions:
        for vitals in (session.vitals_before, session.vitals_after):
            if vitals is not None:
                entries.extend(_vitals(report, vitals, session.id, patient_ref))
    for vitals in report.other_vitals:
        entries.extend(_vitals(report, vitals, "other", patient_ref))
    if pdf is not None:
        entries.append(_document(report, pdf, patient_ref))

    generated = _time(report, report.generated_at)
    digest = hashlib.sha256(json.dumps(entries, sort_keys=True).encode()).hexdigest()
    return {
        "resourceType": "Bundle",
        "id": _uuid("bundle", digest),
        "meta": {"lastUpdated": generated},
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{_uuid('id', digest)}"},
        "type": "collection",
        "timestamp": generated,
        "entry": entries,
    }


def _questionnaire(
    report: Report, scale: Scale, point: ScorePoint, patient: dict[str, str]
) -> list[dict[str, Any]]:
    response_id = _uuid("qr", point.id)
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
        "id": response_id,
        "questionnaire": f"http://loinc.org/q/{scale.loinc_panel}",
        "status": "completed",
        "subject": patient,
        "authored": authored,
        "item": items,
    }
    total_id = _uuid("total", point.id)
    total = {
        "resourceType": "Observation",
        "id": total_id,
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
        "derivedFrom": [{"reference": f"urn:uuid:{response_id}"}],
    }
    return [_entry(response_id, response), _entry(total_id, total)]


def _quantity(value: float, unit: str, code: str) -> dict[str, Any]:
    return {"value": round(value, 1), "unit": unit, "system": UCUM, "code": code}


def _vitals(
    report: Report, v: VitalsSet, context: str, patient: dict[str, str]
) -> list[dict[str, Any]]:
    found = []
    key = f"{context}/{v.phase}/{format_datetime(v.taken_at)}"
    when = _time(report, v.taken_at)
    note = [{"text": f"{v.phase} session" if v.phase in ("before", "after") else "home reading"}]
    if v.systolic is not None and v.diastolic is not None:
        bp_id = _uuid("bp", key)
        found.append(
            _entry(
                bp_id,
                {
                    "resourceType": "Observation",
                    "id": bp_id,
                    "status": "final",
                    "category": _category("vital-signs", "Vital Signs"),
                    "code": {
                        "coding": [
                            _coding("85354-9", "Blood pressure panel with all children optional")
                        ],
                        "text": "Blood pressure",
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
        )
    if v.pulse is not None:
        hr_id = _uuid("hr", key)
        found.append(
            _entry(
                hr_id,
                {
                    "resourceType": "Observation",
                    "id": hr_id,
                    "status": "final",
                    "category": _category("vital-signs", "Vital Signs"),
                    "code": {"coding": [_coding("8867-4", "Heart rate")], "text": "Heart rate"},
                    "subject": patient,
                    "effectiveDateTime": when,
                    "note": note,
                    "valueQuantity": _quantity(v.pulse, "beats/minute", "/min"),
                },
            )
        )
    return found


def _document(report: Report, pdf: bytes, patient: dict[str, str]) -> dict[str, Any]:
    doc_id = _uuid("document", patient["reference"], format_datetime(report.generated_at))
    when = _time(report, report.generated_at)
    return _entry(
        doc_id,
        {
            "resourceType": "DocumentReference",
            "id": doc_id,
            "status": "current",
            "type": {"coding": [_coding("51855-5", "Patient Note")], "text": "Patient report"},
            "subject": patient,
            "date": when,
            "description": "Companion report: sessions, questionnaires, vitals, reflections",
            "content": [
                {
                    "attachment": {
                        "contentType": "application/pdf",
                        "data": base64.b64encode(pdf).decode("ascii"),
                        "size": len(pdf),
                        "hash": base64.b64encode(hashlib.sha1(pdf).digest()).decode("ascii"),  # noqa: S324 (FHIR defines the hash as SHA-1)
                        "title": "Companion report.pdf",
                        "creation": when,
                    }
                }
            ],
        },
    )


def dumps(bundle: dict[str, Any]) -> bytes:
    return (json.dumps(bundle, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
