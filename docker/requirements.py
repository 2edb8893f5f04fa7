"""Print what the app image installs from pyproject.toml: the dependencies and every optional group but dev.

Used by docker/Dockerfile.app (`python docker/requirements.py pyproject.toml > requirements.txt`), so the
image follows pyproject.toml without a second list to keep in step. Standard library only.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path

SKIPPED_GROUPS = frozenset({"dev"})


def requirements(pyproject: Path) -> list[str]:
    with pyproject.open("rb") as handle:
        project = tomllib.load(handle)["project"]
    wanted = list(project.get("dependencies", []))
    for group, deps in sorted(project.get("optional-dependencies", {}).items()):
        if group not in SKIPPED_GROUPS:
            wanted.extend(deps)
    return list(dict.fromkeys(wanted))


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("gebruik: python docker/requirements.py pyproject.toml", file=sys.stderr)
        return 2
    print("\n".join(requirements(Path(argv[0]))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
