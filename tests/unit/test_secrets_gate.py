"""The secrets scan is a real gate: it fails on a planted credential, passes on clean files."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "secrets_scan.py"


def _repo(tmp_path: Path, content: str) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "settings.py").write_text(content)
    return tmp_path


def _scan(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(root)], capture_output=True, text=True, check=False
    )


def test_planted_key_fails_the_gate_without_printing_it(tmp_path: Path) -> None:
    fake = "AKIA" + "ZZQ7EXAMPLE4KEY6"  # assembled so this file itself stays clean
    result = _scan(_repo(tmp_path, f'AWS_ACCESS_KEY_ID = "{fake}"\n'))
    assert result.returncode == 1
    assert "settings.py:1" in result.stdout
    assert fake not in result.stdout


def test_clean_tree_passes(tmp_path: Path) -> None:
    result = _scan(_repo(tmp_path, 'TIMEOUT_SECONDS = 30\nNAME = "YesCount"\n'))
    assert result.returncode == 0, result.stdout
    assert "clean" in result.stdout


def test_saved_real_page_hashes_do_not_fail_the_gate(tmp_path: Path) -> None:
    root = _repo(tmp_path, "TIMEOUT_SECONDS = 30\n")
    page = root / "tests" / "fixtures" / "real" / "site" / "page.html"
    page.parent.mkdir(parents=True)
    digest = hashlib.sha256(b"asset").hexdigest()  # computed so this file itself stays clean
    page.write_text(f'<div data-asset-id="{digest}"></div>\n')
    result = _scan(root)
    assert result.returncode == 0, result.stdout
