"""Key hierarchy: passphrase or recovery key -> key-encryption key -> wrapped data key.

See docs/security.md for the whole model and its limits.
"""
