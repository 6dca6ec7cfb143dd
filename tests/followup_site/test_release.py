"""The release script: the steps the Docker image, compose, CI and the smoke test share.

The static step runs for real, in a subprocess, under production settings (DEBUG off), into a
temporary STATIC_ROOT; whitenoise's manifest storage fails there on any reference it cannot
resolve, which is how the image build broke before Bootstrap's source maps were vendored.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build-release"


def _release(step: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_BACKEND", "STATIC_ROOT"}
    }
    env.update(FOLLOWUP_VAR_DIR=str(tmp_path / "var"), STATIC_ROOT=str(tmp_path / "static"))
    return subprocess.run(  # noqa: S603 - a fixed script of this repository
        [str(SCRIPT), step], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_the_static_step_hashes_every_file_under_production_settings(tmp_path):
    result = _release("static", tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    bundle = manifest["vendor/bootstrap/bootstrap.bundle.min.js"]
    css = manifest["vendor/bootstrap/bootstrap.min.css"]
    assert bundle != "vendor/bootstrap/bootstrap.bundle.min.js"
    assert css != "vendor/bootstrap/bootstrap.min.css"
    # The bundle now names its map by the map's hashed name, which exists beside it.
    hashed_map = manifest["vendor/bootstrap/bootstrap.bundle.min.js.map"]
    served = (tmp_path / "static" / bundle).read_text()
    assert served.rstrip().endswith(f"sourceMappingURL={Path(hashed_map).name}")
    assert (tmp_path / "static" / hashed_map).is_file()
    # Whitenoise serves a precompressed copy of each.
    assert (tmp_path / "static" / f"{bundle}.gz").is_file()


def test_the_script_rejects_an_unknown_step(tmp_path):
    result = _release("deploy-everything", tmp_path)

    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_the_image_and_compose_run_the_release_script():
    dockerfile = (ROOT / "Dockerfile").read_text()
    compose = (ROOT / "docker-compose.yml").read_text()

    assert "scripts/build-release static" in dockerfile
    assert "collectstatic" not in dockerfile
    assert "scripts/build-release migrate" in compose
    assert "manage.py migrate" not in compose


def test_the_image_compiles_the_bytecode_of_every_package_it_runs():
    """Workers write no bytecode (PYTHONDONTWRITEBYTECODE): whatever the build does not compile
    is compiled again from source by every worker that starts."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    compiled = next(line for line in dockerfile.splitlines() if "compileall" in line).split()
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "bench"}  # neither runs in the image
    }

    assert "UV_COMPILE_BYTECODE=1" in dockerfile
    assert {"followup_site", "accounts", "interviews", "reminders", "outreach"} <= packages
    assert packages <= set(compiled)
