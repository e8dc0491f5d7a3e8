"""Production settings: refuse to start without a secret, and pass `check --deploy` clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k7#Qm2$vX9pL4wR8zT1yN6bF3hJ0cS5dG-eA_uIoPqWlKxZr2Vn8Mt4Hs7Yj1Ud9Ke",
    "DJANGO_ALLOWED_HOSTS": "crm.example.com",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://crm.example.com",
    "DJANGO_BEHIND_PROXY": "true",
    "DATABASE_URL": "sqlite:////tmp/aos-deploy-check.sqlite3",
    "CACHE_URL": "locmemcache://",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_deploy_is_clean_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("secret", [None, "short", "dev-only-insecure-key-do-not-use-in-production"])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    if secret:
        env["DJANGO_SECRET_KEY"] = secret
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def _database_options(**env):
    code = "from django.conf import settings; print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))"
    result = run_manage("shell", "-c", code, env={"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused", **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_connections_prepare_repeated_statements_by_default():
    options = _database_options()
    assert "('prepare_threshold', 5)" in options
    assert "('server_side_binding', True)" in options


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler():
    options = _database_options(DATABASE_PREPARED_STATEMENTS="false")
    assert "prepare_threshold" not in options
    assert "server_side_binding" not in options
    assert "('prepare_threshold', 2)" in _database_options(DATABASE_PREPARE_THRESHOLD="2")


def test_check_deploy_is_clean_with_the_env_example_values():
    """`make lint` runs this: .env.example holds production-like values that pass."""
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={"DJANGO_ENV_FILE": str(ROOT / ".env.example")}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
