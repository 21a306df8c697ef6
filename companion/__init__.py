"""Companion: a private, encrypted guide for at-home sessions prescribed by a provider."""

__version__ = "0.1.0"
APP_NAME = "Companion"
