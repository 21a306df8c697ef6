"""The patient's profile: contacts and the prescription exactly as the provider gave it.

Companion never suggests or changes a dose; ``Prescription.dose_text`` is recorded verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from companion.i18n import _

MEDICINE_FORMS = (
    "sublingual tablet",
    "troche / lozenge",
    "rapid-dissolving tablet (RDT)",
    "other (as prescribed)",
)

MAX_FIELD = 200
MAX_HOLD_MINUTES = 60


@dataclass(frozen=True, slots=True)
class Prescription:
    medicine: str = "Ketamine"
    form: str = MEDICINE_FORMS[0]
    dose_text: str = ""
    hold_minutes: int = 15
    instructions: str = ""


@dataclass(frozen=True, slots=True)
class Profile:
    name: str = ""
    provider_name: str = ""
    provider_contact: str = ""
    monitor_name: str = ""
    monitor_phone: str = ""
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    emergency_number: str = "911"
    crisis_line: str = "988"
    prescription: Prescription = field(default_factory=Prescription)

    def with_prescription(self, **changes: object) -> Profile:
        return replace(self, prescription=replace(self.prescription, **changes))  # type: ignore[arg-type]


def validate_profile(profile: Profile) -> dict[str, str]:
    """Returns {field name: plain-language problem}; empty when the profile can be saved.

    Only what keeps the app safe to use is required: someone to call (provider and monitor) and
    an emergency number. Everything else is optional and can be filled in later in Settings.
    """
    problems: dict[str, str] = {}
    texts = {
        "name": profile.name,
        "provider_name": profile.provider_name,
        "provider_contact": profile.provider_contact,
        "monitor_name": profile.monitor_name,
        "monitor_phone": profile.monitor_phone,
        "emergency_contact_name": profile.emergency_contact_name,
        "emergency_contact_phone": profile.emergency_contact_phone,
        "emergency_number": profile.emergency_number,
        "crisis_line": profile.crisis_line,
        "medicine": profile.prescription.medicine,
        "dose_text": profile.prescription.dose_text,
        "instructions": profile.prescription.instructions,
    }
    for key, value in texts.items():
        if len(value) > MAX_FIELD and key != "instructions":
            problems[key] = _("Please keep this under {MAX_FIELD} characters.").format(
                MAX_FIELD=MAX_FIELD
            )
    if not profile.provider_name.strip():
        problems["provider_name"] = _("Add your provider's name so Help can show who to call.")
    if not profile.provider_contact.strip():
        problems["provider_contact"] = _("Add a phone number or contact for your provider.")
    if not profile.emergency_number.strip():
        problems["emergency_number"] = _(
            "Add the emergency number where you live (for example 911)."
        )
    hold = profile.prescription.hold_minutes
    if not 0 <= hold <= MAX_HOLD_MINUTES:
        problems["hold_minutes"] = _(
            "The hold time should be between 0 and {MAX_HOLD_MINUTES} minutes."
        ).format(MAX_HOLD_MINUTES=MAX_HOLD_MINUTES)
    return problems


# --------------------------------------------------------------------------------------------
# Identifiers for the clinic's record system (FHIR)

PATIENT_ID_SYSTEM = "urn:ietf:rfc:3986"  # the value is itself a URI: urn:uuid:<random>
MAX_MRN = 64
MAX_SYSTEM = 200
_URI_START = ("urn:", "http://", "https://")


@dataclass(frozen=True, slots=True)
class PatientIdentity:
    """Who the FHIR Patient is, without using the name as a key.

    ``uid`` is a random UUID made once per vault (``urn:uuid:...`` under ``PATIENT_ID_SYSTEM``):
    two patients called "Sam Demo" stay two patients. ``mrn`` is the number the clinic gave
    (with the URI of its numbering system, as the clinic writes it), and ``birth_date`` is
    ``YYYY-MM-DD``; both are optional and empty unless the patient typed them.
    """

    uid: str
    mrn: str = ""
    mrn_system: str = ""
    birth_date: str = ""

    @property
    def uri(self) -> str:
        return f"urn:uuid:{self.uid}"


def validate_identity(mrn: str, mrn_system: str, birth_date: str, today: date) -> dict[str, str]:
    """Returns {field name: plain-language problem}; empty when it can be saved."""
    problems: dict[str, str] = {}
    if len(mrn) > MAX_MRN or any(c.isspace() for c in mrn.strip()):
        problems["mrn"] = _(
            "Type the record number as the clinic gave it (up to {MAX_MRN} signs)."
        ).format(MAX_MRN=MAX_MRN)
    if mrn.strip() and not mrn_system.strip():
        problems["mrn_system"] = _("Ask the clinic for the address of its numbering system.")
    system = mrn_system.strip()
    if system and (len(system) > MAX_SYSTEM or not system.startswith(_URI_START) or " " in system):
        problems["mrn_system"] = _(
            'This should be an address like "https://clinic.example/mrn" or "urn:oid:1.2.3".'
        )
    if birth_date.strip():
        try:
            born = date.fromisoformat(birth_date.strip())
        except ValueError:
            problems["birth_date"] = _("Write the birth date like 1990-04-23.")
        else:
            if not date(1900, 1, 1) <= born <= today:
                problems["birth_date"] = _("That birth date is not possible. Please check it.")
    return problems
