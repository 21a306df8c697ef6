"""Alembic environment: migrations always run on the connection the vault hands over.

There is no URL here on purpose: the database is encrypted and only the unlocked vault has the
key, so ``companion.storage.migrate`` passes its open connection in ``config.attributes``.
"""

from alembic import context

from companion.storage import fts
from companion.storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run through companion.storage.migrate, with the vault unlocked")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    # Autogenerate must not propose dropping the FTS tables (the hook accepts any str kind).
    include_name=fts.include_name,  # type: ignore[arg-type]
)
with context.begin_transaction():
    context.run_migrations()
