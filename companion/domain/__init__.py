"""Pure domain logic: no Qt, no SQLAlchemy, no files. Everything here is testable in isolation."""
