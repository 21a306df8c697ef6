"""Rehearsal: the real session core on a database that lives in memory.

A rehearsal is ``SessionService`` itself (``rehearsal=True``), so its rules cannot drift from
a real session's: the same start check, vitals rules, dose step, check-ins, After phase and
sign-off. Only its store differs: a database with the vault's schema held in memory, seeded
with the prescription and run under the protocol in use, and thrown away with the rehearsal.
It needs neither the unlocked vault nor writes a byte to it; no dose is logged anywhere,
nothing marks a planned session done and no backup follows. What ``rehearsal=True`` changes
is listed in ``companion.services.sessions``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import tzinfo

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from companion.domain.clock import Clock
from companion.domain.profile import Prescription
from companion.domain.protocol import Protocol
from companion.services.protocols import ActiveProtocol
from companion.services.sessions import SessionService
from companion.storage.engine import open_memory_engine, translate_error
from companion.storage.models import Base, PrescriptionRow


class MemoryStore:
    """The rehearsal's database: the vault's schema in memory, one transaction per step."""

    def __init__(self) -> None:
        self.engine = open_memory_engine()
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            with contextlib.suppress(SQLAlchemyError):
                session.rollback()
            raise translate_error(exc) from exc
        except BaseException:
            with contextlib.suppress(SQLAlchemyError):
                session.rollback()
            raise
        finally:
            with contextlib.suppress(SQLAlchemyError):
                session.close()

    def close(self) -> None:
        self.engine.dispose()


class FixedProtocol:
    """The protocol a rehearsal runs under: the one in use, already loaded from the vault."""

    def __init__(self, protocol: Protocol) -> None:
        self._protocol = protocol

    def current_in(self, db: Session) -> ActiveProtocol:
        return ActiveProtocol(self._protocol, None, None, None)

    def by_id_in(self, db: Session, protocol_id: str | None) -> Protocol:
        return self._protocol


def rehearsal_service(
    protocol: Protocol,
    prescription: Prescription,
    clock: Clock,
    zone: tzinfo | None = None,
) -> SessionService:
    """A session service for one rehearsal: ``protocol`` (the one in use) and the patient's
    ``prescription`` (copied into memory, as the real dose step copies it into the log)."""
    store = MemoryStore()
    with store.unit_of_work() as db:
        db.add(
            PrescriptionRow(
                medicine=prescription.medicine,
                form=prescription.form,
                dose_text=prescription.dose_text,
                hold_minutes=prescription.hold_minutes,
                instructions=prescription.instructions,
                active=True,
                recorded_at=clock.now(),
            )
        )
    return SessionService(store, clock, FixedProtocol(protocol), zone, rehearsal=True)
