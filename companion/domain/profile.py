"""The patient's profile: contacts and the prescription exactly as the provider gave it.

Companion never suggests or changes a dose; ``Prescription.dose_text`` is recorded verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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
            problems[key] = f"Please keep this under {MAX_FIELD} characters."
    if not profile.provider_name.strip():
        problems["provider_name"] = "Add your provider's name so Help can show who to call."
    if not profile.provider_contact.strip():
        problems["provider_contact"] = "Add a phone number or contact for your provider."
    if not profile.emergency_number.strip():
        problems["emergency_number"] = "Add the emergency number where you live (for example 911)."
    hold = profile.prescription.hold_minutes
    if not 0 <= hold <= MAX_HOLD_MINUTES:
        problems["hold_minutes"] = (
            f"The hold time should be between 0 and {MAX_HOLD_MINUTES} minutes."
        )
    return problems
