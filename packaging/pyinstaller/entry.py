"""The bundle's one entry point, built twice: as `companion` (the desktop app) and as
`companion-cli` (the command line on the same vault). The executable's own name decides."""

import sys
from pathlib import Path


def run() -> int:
    if Path(sys.executable).stem.lower().startswith("companion-cli"):
        from companion.cli import main as cli_main

        return cli_main()
    from companion.app import main as app_main

    return app_main()


raise SystemExit(run())
