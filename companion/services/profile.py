"""Reading and saving the profile and the prescription as the provider gave it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from companion.domain.profile import Prescription, Profile, validate_profile
from companion.errors import InvalidInputError
from companion.services.vault import VaultService
from companion.storage.models import PrescriptionRow, ProfileRow

log = logging.getLogger(__name__)

PROFILE_FIELDS = (
    "name",
    "provider_name",
    "provider_contact",
    "monitor_name",
    "monitor_phone",
    "emergency_contact_name",
    "emergency_contact_phone",
    "emergency_number",
    "crisis_line",
)


class ProfileService:
    def __init__(self, vault: VaultService, now: Callable[[], datetime]) -> None:
        self._vault = vault
        self._now = now

    def load(self) -> Profile:
        with self._vault.unit_of_work() as session:
            row = session.get(ProfileRow, "me")
            active = session.scalars(
                select(PrescriptionRow)
                .where(PrescriptionRow.active.is_(True))
                .order_by(PrescriptionRow.recorded_at.desc())
                .limit(1)
            ).first()
            prescription = (
                Prescription(
                    medicine=active.medicine,
                    form=active.form,
                    dose_text=active.dose_text,
                    hold_minutes=active.hold_minutes,
                    instructions=active.instructions,
                )
                if active
                else Prescription()
            )
            if row is None:
                return Profile(prescription=prescription)
            return Profile(
                **{name: getattr(row, name) for name in PROFILE_FIELDS},
                prescription=prescription,
            )

    def save(self, profile: Profile) -> None:
        """Validates, then saves in one transaction. A changed prescription becomes a new
        record, so the dose logged with an earlier session keeps pointing at what applied then."""
        problems = validate_profile(profile)
        if problems:
            raise InvalidInputError(problems=problems)
        now = self._now()
        with self._vault.unit_of_work() as session:
            row = session.get(ProfileRow, "me") or ProfileRow(id="me", updated_at=now)
            for name in PROFILE_FIELDS:
                setattr(row, name, getattr(profile, name).strip())
            row.updated_at = now
            session.add(row)
            current = session.scalars(
                select(PrescriptionRow).where(PrescriptionRow.active.is_(True))
            ).all()
            wanted = profile.prescription
            if not any(_same(existing, wanted) for existing in current):
                for existing in current:
                    existing.active = False
                session.add(
                    PrescriptionRow(
                        medicine=wanted.medicine.strip(),
                        form=wanted.form,
                        dose_text=wanted.dose_text.strip(),
                        hold_minutes=wanted.hold_minutes,
                        instructions=wanted.instructions.strip(),
                        active=True,
                        recorded_at=now,
                    )
                )
        log.info("profile.saved")


def _same(row: PrescriptionRow, prescription: Prescription) -> bool:
    return (
        row.medicine == prescription.medicine.strip()
        and row.form == prescription.form
        and row.dose_text == prescription.dose_text.strip()
        and row.hold_minutes == prescription.hold_minutes
        and row.instructions == prescription.instructions.strip()
    )
