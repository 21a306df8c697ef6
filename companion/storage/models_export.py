"""Export settings kept inside the encrypted vault (migrations 0003 and 0004).

One row (id "me"): the provider's age public key, so encrypted exports can be made for the
provider without a passphrase to pass on. A public key is not a secret, but which provider a
patient sees is private, so it lives in the vault rather than in the preferences file.

For FHIR (0004): ``patient_uid``, a random UUID made once per vault, so two patients with the
same name never become one Patient on a clinic's server; the clinic's own record number
(``mrn``, with the URI of its numbering system ``mrn_system``) and the birth date
(``YYYY-MM-DD``), both optional and empty unless the patient typed them.

Declared on the same ``Base`` as every other model; ``companion.storage.migrate`` imports this
module so new vaults get the table from ``create_all`` and old ones from migration 0003.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from companion.storage.models import ID, Base


class ExportProfileRow(Base):
    __tablename__ = "export_profile"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default="me")
    provider_recipient: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime]
    patient_uid: Mapped[str] = mapped_column(String(64), default="", server_default="")
    mrn: Mapped[str] = mapped_column(String(64), default="", server_default="")
    mrn_system: Mapped[str] = mapped_column(String(200), default="", server_default="")
    birth_date: Mapped[str] = mapped_column(String(10), default="", server_default="")
