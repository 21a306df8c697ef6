"""Service-level helpers: a complete profile, row counts, a clinic's protocol file."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from companion.domain.profile import Prescription, Profile
from companion.services.container import Services
from companion.services.protocol_files import default_protocol_path
from companion.storage.models import ALL_TABLES
from tests.support.vault import PASSPHRASE

Restart = Callable[..., Services]


DOSE_TEXT = "As prescribed: one 100 mg RDT under the tongue"


def make_profile(dose_text: str = DOSE_TEXT, hold_minutes: int = 15) -> Profile:
    return Profile(
        name="Sam",
        provider_name="Dr. Rivera",
        provider_contact="+1 555 0100",
        monitor_name="Alex",
        monitor_phone="+1 555 0101",
        prescription=Prescription(
            medicine="Ketamine",
            form="rapid-dissolving tablet (RDT)",
            dose_text=dose_text,
            hold_minutes=hold_minutes,
            instructions="Spit after the hold.",
        ),
    )


def row_counts(services: Services) -> dict[str, int]:
    with services.vault.unit_of_work() as db:
        return {
            table.name: int(db.scalar(select(func.count()).select_from(table)) or 0)
            for table in ALL_TABLES
        }


DEFAULT_TEXT = default_protocol_path().read_text(encoding="utf-8")


def clinic_protocol(name: str = "Riverside clinic", systolic_warn: int = 135) -> str:
    """The shipped file with the clinic's own name and a lower systolic take-note level."""
    text = DEFAULT_TEXT.replace('id = "companion-default"', 'id = "riverside"')
    text = text.replace('name.en = "Companion default"', f'name.en = "{name}"')
    return text.replace(
        "[limits.systolic]\nwarn = 140", f"[limits.systolic]\nwarn = {systolic_warn}"
    )


def fresh_vault(services: Services) -> None:
    services.vault.create(PASSPHRASE)
    services.profile.save(make_profile())
    services.vault.lock()
