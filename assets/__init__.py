"""Companion's bundled media (music, cues, recorded prompts, alert sounds): data, not code.

Installed as ``companion._assets`` (see setup.py); found through ``companion.paths``."""
