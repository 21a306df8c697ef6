"""Shared by the three PyInstaller specs (companion-linux.spec, -windows.spec, -macos.spec).

Executed by each spec with PyInstaller's spec globals (Analysis, PYZ, EXE, COLLECT, BUNDLE,
SPECPATH) and TARGET set to "linux", "windows" or "macos". It builds one folder holding two
executables sharing one Python and one Qt: `companion` (the window) and `companion-cli`. Both
are the same entry.py (one analysis, half the build time); the executable's name picks which.

What goes in: the companion package (installed from the wheel, so its data packages
companion._assets and companion._resources are real folders), its Alembic migrations as
source files, Qt with the plugins PySide6's hooks pick, SQLCipher (statically linked in
sqlcipher3's extension). libvlc is not bundled: python-vlc finds the system's VLC when there
is one, and Companion falls back to Qt Multimedia when there is not.
"""

# ruff: noqa: F821  (the names below come from PyInstaller's spec globals)
import os

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

NAME = "Companion"
HERE = os.path.abspath(SPECPATH)
ICONS = os.path.join(HERE, "..", "icons")

hidden = [
    *collect_submodules("companion"),
    *collect_submodules("sqlcipher3"),
    *collect_submodules("alembic", filter=lambda name: ".testing" not in name),
    "sqlalchemy.dialects.sqlite",
    "logging.config",
    "vlc",  # python-vlc, imported by name at run time (companion.audio.factory.load_vlc)
]
datas = [
    *collect_data_files("companion", include_py_files=False),
    *collect_data_files("companion.storage", include_py_files=True, subdir="migrations"),
    *collect_data_files("alembic", include_py_files=False),
    *collect_data_files("jsonschema_specifications"),
]
excludes = ["tkinter", "pytest", "hypothesis", "numpy", "mypy", "IPython", "matplotlib"]


def analysis(script):
    return Analysis(
        [os.path.join(HERE, script)],
        pathex=[],
        binaries=[],
        datas=datas,
        hiddenimports=hidden,
        hookspath=[],
        runtime_hooks=[],
        excludes=excludes,
        noarchive=False,
    )


found = analysis("entry.py")
icon = {
    "windows": os.path.join(ICONS, "companion.ico"),
    "macos": os.path.join(ICONS, "companion.icns"),
}.get(TARGET)


code = PYZ(found.pure)


def executable(name, console):
    return EXE(
        code,
        found.scripts,
        [],
        exclude_binaries=True,
        name=name,
        console=console,
        icon=icon,
        strip=False,
        upx=False,
    )


# Windows and macOS: the window opens without a console; the CLI always has one.
gui_exe = executable("companion", console=TARGET == "linux")
cli_exe = executable("companion-cli", console=True)
folder = COLLECT(
    gui_exe,
    cli_exe,
    found.binaries,
    found.datas,
    strip=False,
    upx=False,
    name=NAME,
)
if TARGET == "macos":
    app = BUNDLE(
        folder,
        name=f"{NAME}.app",
        icon=icon,
        bundle_identifier="io.github.companionapp.Companion",
        info_plist={"NSHighResolutionCapable": True, "LSMinimumSystemVersion": "11.0"},
    )
