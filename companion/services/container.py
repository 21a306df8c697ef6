"""Builds the services once, in app.py or the CLI, and hands them down (no singletons)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from companion.crypto.kdf import KdfParams
from companion.domain.clock import Clock
from companion.paths import DataPaths
from companion.services.assessments import AssessmentService
from companion.services.backup import BackupService
from companion.services.demo import DemoService
from companion.services.export import PdfRenderer
from companion.services.export_service import ExportService
from companion.services.home import HomeService
from companion.services.importer import ImportService
from companion.services.insights import InsightsService
from companion.services.journal import JournalService
from companion.services.planning import PlanningService
from companion.services.profile import ProfileService
from companion.services.protocols import ProtocolService
from companion.services.search import SearchService
from companion.services.sessions import SessionService
from companion.services.vault import VaultService
from companion.services.worker import DbWorker
from companion.settings import BackupPolicy


@dataclass(frozen=True, slots=True)
class Services:
    paths: DataPaths
    clock: Clock
    vault: VaultService
    profile: ProfileService
    home: HomeService
    worker: DbWorker
    protocols: ProtocolService
    planning: PlanningService
    sessions: SessionService
    journal: JournalService
    search: SearchService
    assessments: AssessmentService
    insights: InsightsService
    demo: DemoService
    export: ExportService
    importer: ImportService
    backup: BackupService


def build_services(
    paths: DataPaths,
    clock: Clock,
    kdf: KdfParams | None = None,
    zone: tzinfo | None = None,
    pdf: PdfRenderer | None = None,
    backup: BackupPolicy | None = None,
) -> Services:
    """``backup`` is the patient's backup folder and how many to keep, read from the
    preferences once by the app and by the CLI alike (``None``: the vault's own folder, 10).
    ``pdf`` lays out the provider's report (``companion.pdf.QtPdfRenderer``, given by the
    composition root so the services import no Qt); without it PDF and FHIR exports refuse.
    ``kdf=None`` calibrates Argon2id on this machine when a vault is created (the real app);
    tests pass ``KdfParams.for_tests()`` explicitly to stay fast. ``zone=None`` uses the
    system's local time zone (for "stop eating at 13:00" and the latest start time)."""
    vault = VaultService(paths, kdf)
    protocols = ProtocolService(vault, clock.now)
    planning = PlanningService(vault, clock.now, protocols, zone)
    journal = JournalService(vault, clock.now)
    sessions = SessionService(vault, clock, protocols, zone)
    backup_service = BackupService(vault, clock.now)
    if backup is not None:
        backup_service.configure(backup.folder, backup.keep)
    # Every completed session is followed by an automatic backup (keeps the last N).
    sessions.add_completion_listener(lambda _session_id: backup_service.after_session())
    return Services(
        paths=paths,
        clock=clock,
        vault=vault,
        profile=ProfileService(vault, clock.now),
        home=HomeService(vault, clock.now, planning),
        worker=DbWorker(),
        protocols=protocols,
        planning=planning,
        sessions=sessions,
        journal=journal,
        search=SearchService(vault, clock.now, journal),
        assessments=AssessmentService(vault, clock.now, protocols),
        insights=InsightsService(vault, clock.now, protocols),
        demo=DemoService(vault, clock, journal, protocols, zone),
        export=ExportService(vault, clock.now, protocols, journal, pdf),
        importer=ImportService(vault, clock.now, journal),
        backup=backup_service,
    )
