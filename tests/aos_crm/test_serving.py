"""`make serve-production`: sync gunicorn workers, one per core, each recycled after a few hundred
requests (with jitter) so a long-lived worker's memory does not creep."""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def gunicorn_command() -> str:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    dry_run = subprocess.run(
        [make, "-n", "serve-production"], cwd=BASE_DIR, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    joined = dry_run.replace("\\\n", " ")
    line = next(line for line in joined.splitlines() if "gunicorn aos_crm.wsgi" in line)
    return " ".join(line.split())


def test_serve_production_runs_recycled_sync_workers():
    command = gunicorn_command()
    assert "--worker-class sync" in command
    assert "--workers ${WEB_CONCURRENCY:-2}" in command
    assert "--max-requests ${MAX_REQUESTS:-500}" in command
    assert "--max-requests-jitter ${MAX_REQUESTS_JITTER:-50}" in command


def test_gunicorn_accepts_the_flags():
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        pytest.skip("gunicorn is not installed next to this Python")
    # The shell's ${NAME:-default} with the defaults, as the Makefile runs it without the variables.
    command = re.sub(r"\$\{\w+:-(\w+)\}", r"\1", gunicorn_command())
    args = shlex.split(command)[1:]
    result = subprocess.run(
        [str(gunicorn), *args, "--check-config"], cwd=BASE_DIR, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
