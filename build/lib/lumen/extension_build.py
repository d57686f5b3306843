"""Copy the storefront widget into the theme app extension's assets.

The widget's source lives once, in ``static/widget/``; Shopify CLI deploys the extension's
``assets/`` folder, so that folder is a generated copy kept in git. Run
``python -m lumen.extension_build`` after changing the widget (``--check`` only reports).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WIDGET_SOURCE = PROJECT_ROOT / "static" / "widget"
EXTENSION_ASSETS = PROJECT_ROOT / "extensions" / "lumen-chat" / "assets"


def _files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def stale_assets(source: Path | None = None, assets: Path | None = None) -> list[str]:
    """Names of asset files that are missing, different from the source, or left over."""
    wanted, present = _files(source or WIDGET_SOURCE), _files(assets or EXTENSION_ASSETS)
    return sorted(name for name in wanted.keys() | present.keys()
                  if wanted.get(name) != present.get(name))


def build(source: Path | None = None, assets: Path | None = None) -> list[str]:
    """Make ``assets`` an exact copy of ``source``; return the names that changed."""
    source, assets = source or WIDGET_SOURCE, assets or EXTENSION_ASSETS
    if not _files(source):
        raise FileNotFoundError(f"no widget files in {source}")
    changed = stale_assets(source, assets)
    assets.mkdir(parents=True, exist_ok=True)
    for name in changed:
        target, origin = assets / name, source / name
        if origin.is_file():
            shutil.copyfile(origin, target)
        else:
            target.unlink()  # a file the widget no longer has
    return changed


def main(argv: list[str] | None = None) -> int:
    """Build (or with ``--check``, verify) the extension's assets; exit 1 when stale."""
    parser = argparse.ArgumentParser(prog="python -m lumen.extension_build", description=__doc__)
    parser.add_argument("--check", action="store_true", help="report stale assets, change nothing")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_assets()
        for name in stale:
            print(f"stale: {EXTENSION_ASSETS / name}", file=sys.stderr)
        return 1 if stale else 0
    for name in build():
        print(f"updated: {EXTENSION_ASSETS / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
