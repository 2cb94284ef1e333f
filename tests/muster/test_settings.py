import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SAMPLE_PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "muster.settings.production",
    "SECRET_KEY": "a-long-random-sample-secret-key-for-the-deploy-check-0123456789abcdef",
    "ALLOWED_HOSTS": "training.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://training.example.org",
    "MUSTER_BASE_URL": "https://training.example.org",
    "DATABASE_URL": "postgres://muster:secret@db.internal:5432/muster",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "AWS_STORAGE_BUCKET_NAME": "muster-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
    "EMAIL_HOST": "smtp.example.org",
}


def manage(*args, env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=SAMPLE_PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**SAMPLE_PRODUCTION_ENV, "SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_reads_services_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['CONN_MAX_AGE'],"
        " s.CACHES['default']['BACKEND'], s.STORAGES['default']['BACKEND'],"
        " s.TASKS['default']['BACKEND'], s.MUSTER_SITE_HOST)"
    )
    result = manage("shell", "-c", code, env=SAMPLE_PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    engine, max_age, cache, storage, tasks, host = result.stdout.strip().splitlines()[-1].split()
    assert engine == "django.db.backends.postgresql"
    assert int(max_age) > 0
    # django-redis, failing soft when Redis is down (muster/cache.py).
    assert cache == "muster.cache.FailSoftRedisCache"
    # Rate limits are keyed on the base URL's host, not on a request's Host header.
    assert host == "training.example.org"
    assert storage == "storages.backends.s3.S3Storage"
    assert tasks == "django_tasks_db.DatabaseBackend"


def test_production_installs_neither_the_demo_app_nor_seed_demo():
    code = (
        "from django.conf import settings as s;"
        "from django.core.management import call_command, CommandError;"
        "print('demo' in s.INSTALLED_APPS, s.MUSTER_DEMO_DATA_ALLOWED)\n"
        "try:\n"
        "    call_command('seed_demo')\n"
        "except CommandError as e:\n"
        "    print('refused:', e)\n"
    )
    result = manage("shell", "-c", code, env=SAMPLE_PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-2] == "False False"
    assert lines[-1] == "refused: Unknown command: 'seed_demo'"
