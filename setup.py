"""Packaging layout (everything else is in pyproject.toml).

The product keeps its read-only files at the top level, ``assets/`` (music, cues, recorded
prompts, alert sounds) and ``resources/`` (protocols, styles, icons). The wheel and the bundle
carry them inside the package as ``companion._assets`` and ``companion._resources``, every
file under those folders, whatever is added later; ``companion.paths`` finds them through
``importlib.resources`` in a wheel, a bundle, an editable install and a plain checkout alike.
"""

from setuptools import find_packages, setup

MAPPED = {"companion._assets": "assets", "companion._resources": "resources"}

setup(
    packages=[*find_packages(include=["companion", "companion.*"]), *MAPPED],
    package_dir=MAPPED,
    package_data={
        "companion.storage": ["migrations/*.py", "migrations/versions/*.py", "migrations/*.mako"],
        **{name: ["**/*"] for name in MAPPED},
    },
    exclude_package_data={name: ["**/__pycache__/*", "**/*.pyc"] for name in MAPPED},
)
