"""Encrypted storage: SQLCipher through SQLAlchemy 2, typed models, migrations."""
