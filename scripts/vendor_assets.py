#!/usr/bin/env python3
"""Copy the front-end files installed by ``npm ci`` into ``static/vendor/`` (gitignored).

htmx comes from npm with an exact pin in package.json and a committed package-lock.json;
nothing from node_modules is committed. Run from anywhere: paths are relative to the repo root.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

FILES = {  # node_modules path -> static/vendor path
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "axe-core/axe.min.js": "test/axe.min.js",
}


def main() -> int:
    missing = [src for src in FILES if not (NODE_MODULES / src).is_file()]
    if missing:
        for src in missing:
            print(f"vendor_assets: missing node_modules/{src}", file=sys.stderr)
        print(
            "vendor_assets: run npm ci first (npm ci --no-audit --no-fund), "
            "or bash scripts/setup.sh, which does it for you.",
            file=sys.stderr,
        )
        return 1
    for src, dst in FILES.items():
        target = VENDOR / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(NODE_MODULES / src, target)
    print(f"vendor_assets: copied {len(FILES)} files into static/vendor/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
