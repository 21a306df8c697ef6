"""The protocol in use: the newest installed protocol file, or the one Companion ships.

A clinic's file is validated by ``parse_protocol`` before anything is stored; a refused file
leaves the vault exactly as it was. Installed files are kept verbatim (with their SHA-256) so
a past session can always be read with the protocol it was run under.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from companion.domain.protocol import Protocol, ProtocolError
from companion.i18n import current_language
from companion.services.protocol_files import default_protocol, parse_protocol, read_protocol_text
from companion.services.vault import VaultService
from companion.storage.models import ProtocolRow

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ActiveProtocol:
    """The protocol in use and where it came from (``row_id`` None: the shipped default)."""

    protocol: Protocol
    row_id: str | None
    sha256: str | None
    installed_at: datetime | None

    @property
    def is_default(self) -> bool:
        return self.row_id is None


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ProtocolService:
    def __init__(self, vault: VaultService, now: Callable[[], datetime]) -> None:
        self._vault = vault
        self._now = now
        # (sha256, language) -> protocol; files never change, a protocol's texts are read in
        # the patient's language
        self._parsed: dict[tuple[str, str], Protocol] = {}
        self._default: dict[str, Protocol] = {}

    # --- use cases ----------------------------------------------------------------------------
    def active(self) -> Protocol:
        return self.active_info().protocol

    def active_info(self) -> ActiveProtocol:
        with self._vault.unit_of_work() as db:
            return self.current_in(db)

    def install(self, toml_text: str) -> Protocol:
        """Validates, then stores the text verbatim and makes it the protocol in use.

        Raises ``ProtocolError`` (naming the field) before touching the vault when the file is
        refused. Installing the text already in use changes nothing.
        """
        protocol = parse_protocol(toml_text)
        digest = sha256_of(toml_text)
        with self._vault.unit_of_work() as db:
            current = _newest_active(db)
            if current is not None and current.sha256 == digest:
                return protocol
            db.execute(update(ProtocolRow).where(ProtocolRow.active.is_(True)).values(active=False))
            db.add(
                ProtocolRow(
                    name=protocol.info.name,
                    version=protocol.info.version,
                    source_toml=toml_text,
                    sha256=digest,
                    active=True,
                    installed_at=self._now(),
                )
            )
        self._parsed[(digest, current_language())] = protocol
        log.info("protocol.installed")
        return protocol

    def install_file(self, path: Path | str) -> Protocol:
        return self.install(read_protocol_text(path))

    def reset_to_default(self) -> Protocol:
        """Goes back to the shipped protocol; installed files stay in the history."""
        with self._vault.unit_of_work() as db:
            db.execute(update(ProtocolRow).where(ProtocolRow.active.is_(True)).values(active=False))
        log.info("protocol.reset_to_default")
        return self.default()

    def default(self) -> Protocol:
        language = current_language()
        if language not in self._default:
            self._default[language] = default_protocol()
        return self._default[language]

    # --- for other services, inside their own transaction ------------------------------------
    def current_in(self, db: Session) -> ActiveProtocol:
        row = _newest_active(db)
        if row is None:
            return ActiveProtocol(self.default(), None, None, None)
        return ActiveProtocol(self._parse(row), row.id, row.sha256, row.installed_at)

    def by_id_in(self, db: Session, protocol_id: str | None) -> Protocol:
        """The protocol a session ran under (active or not); the default for ``None``."""
        if protocol_id is None:
            return self.default()
        row = db.get(ProtocolRow, protocol_id)
        if row is None:
            return self.default()
        try:
            return self._parse(row)
        except ProtocolError:  # stored by an older Companion whose format this one refuses
            log.warning("protocol.stored_unreadable")
            return self.default()

    def _parse(self, row: ProtocolRow) -> Protocol:
        key = (row.sha256, current_language())
        cached = self._parsed.get(key)
        if cached is None:
            cached = self._parsed[key] = parse_protocol(row.source_toml)
        return cached


def _newest_active(db: Session) -> ProtocolRow | None:
    return db.scalars(
        select(ProtocolRow)
        .where(ProtocolRow.active.is_(True))
        .order_by(ProtocolRow.installed_at.desc())
        .limit(1)
    ).first()
