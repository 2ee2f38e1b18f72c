"""Secrets gate: fail when detect-secrets finds anything in the project's files.

Scans every file git tracks plus untracked, non-ignored files (so a secret is
caught before it is committed). A genuine false positive is allowed by an
inline ``pragma: allowlist secret`` comment on its line — visible in review.
Prints file, line and detector type only, never the secret itself.

Usage: python scripts/secrets_scan.py [ROOT]
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Saved pages (our reconstructions in pages/, third-party real pages in real/):
# their long image/asset hashes and item ids trip the entropy detectors
# without ever being credentials of ours.
EXCLUDE_FILES = r"^tests/fixtures/(pages|real)/.*\.(html|htm|json)$|\.secrets\.baseline$"


def _files(root: Path) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    return [f for f in listed if f and (root / f).is_file()]


def main(root: Path) -> int:
    files = _files(root)
    scanner = Path(sys.executable).with_name("detect-secrets")
    result = subprocess.run(
        [str(scanner), "scan", "--exclude-files", EXCLUDE_FILES, *files],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    )
    findings = json.loads(result.stdout)["results"]
    for path, items in sorted(findings.items()):
        for item in items:
            print(f"{path}:{item['line_number']}: possible secret ({item['type']})")
    if findings:
        print(f"secrets scan: FAILED ({sum(map(len, findings.values()))} findings)")
        return 1
    print(f"secrets scan: clean ({len(files)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()))
