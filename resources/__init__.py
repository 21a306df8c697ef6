"""Companion's read-only resources (protocols, styles, icons): data, not code.

Installed as ``companion._resources`` (see setup.py); found through ``companion.paths``."""
