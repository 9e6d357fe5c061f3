"""Settings read from the environment: run Django in a subprocess with a
controlled environment, as production would start it."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "jinzhi.example.gov.cn",
    "AUDIT_HMAC_KEYS": "k1:a-long-random-audit-key-0123456789-abcdefghijklmnop",
    "PATH": os.environ["PATH"],
    "HOME": os.environ.get("HOME", "/tmp"),
}


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _setting(expression, env):
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**_clean(env), "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _clean(env):
    # The developer's .env must not fill in what the test leaves out.
    return {**env, "DJANGO_READ_DOT_ENV": "false"}


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", env=_clean(env))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def _collected(static_root: Path) -> dict:
    """A STATIC_ROOT holding a manifest of the page assets, as collectstatic
    with DEBUG=false leaves it (collecting for real takes too long here)."""
    from config.checks import PAGE_ASSETS

    paths = {asset: asset.replace(".", ".0123456789ab.", 1) for asset in PAGE_ASSETS}
    manifest = {"paths": paths, "version": "1.1", "hash": "0123456789ab"}
    (static_root / "staticfiles.json").write_text(json.dumps(manifest))
    return {"STATIC_ROOT": str(static_root)}


def test_production_settings_pass_the_deployment_checks(tmp_path):
    env = _clean({**PRODUCTION, **_collected(tmp_path)})
    result = _manage("check", "--deploy", env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    # The one warning production may rightly show: the working calendar does
    # not know a year's official holidays yet (cases.W010, a fact about the
    # date and the installed holidays library, not about the settings).
    issues = [
        line
        for line in (result.stderr + result.stdout).splitlines()
        if re.match(r"^\S+: \([\w.]+\.[EW]\d+\)", line)
    ]
    assert all("(cases.W010)" in line for line in issues), issues
    assert "no issues" in result.stdout or "cases.W010" in result.stdout + result.stderr


def test_the_deployment_checks_fail_without_the_static_manifest(tmp_path):
    env = _clean({**PRODUCTION, "STATIC_ROOT": str(tmp_path)})
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "config.E001" in result.stderr
    assert "collectstatic" in result.stderr


def test_the_deployment_checks_fail_with_a_development_secret_key(tmp_path):
    env = _clean(
        {
            **PRODUCTION,
            **_collected(tmp_path),
            "SECRET_KEY": "django-insecure-development-only-key-never-use-in-production",
        }
    )
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "config.E002" in result.stderr


def test_debug_mode_runs_without_a_secret_key_in_chinese_and_shanghai_time():
    env = {"DEBUG": "true", "PATH": os.environ["PATH"]}
    assert _setting("settings.LANGUAGE_CODE, settings.TIME_ZONE", env) == "zh-hans Asia/Shanghai"


def test_without_redis_url_tasks_run_eagerly():
    env = {"DEBUG": "true", "PATH": os.environ["PATH"]}
    assert _setting("settings.CELERY_TASK_ALWAYS_EAGER", env) == "True"


def test_with_redis_url_tasks_go_to_the_broker():
    env = {"DEBUG": "true", "REDIS_URL": "redis://127.0.0.1:6379/5", "PATH": os.environ["PATH"]}
    assert (
        _setting("settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL", env)
        == "False redis://127.0.0.1:6379/5"
    )


def test_database_url_selects_postgresql():
    env = {
        "DEBUG": "true",
        "DATABASE_URL": "postgres://u@db.internal:5432/jinzhi",
        "PATH": os.environ["PATH"],
    }
    assert _setting("settings.DATABASES['default']['ENGINE']", env) == (
        "django.db.backends.postgresql"
    )


def test_media_storage_s3_selects_django_storages_private(tmp_path):
    env = {
        **PRODUCTION,
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "jinzhi-media",
        "AWS_S3_ENDPOINT_URL": "https://oss.example.gov.cn",
    }
    expression = (
        "settings.STORAGES['default']['BACKEND'], "
        "settings.STORAGES['default']['OPTIONS']['default_acl']"
    )
    assert _setting(expression, env) == "storages.backends.s3.S3Storage private"


def test_an_unknown_media_storage_is_refused():
    result = _manage("check", env=_clean({**PRODUCTION, "MEDIA_STORAGE": "nfs"}))
    assert result.returncode != 0
    assert "MEDIA_STORAGE must be one of filesystem, s3" in result.stderr


def test_with_redis_url_every_node_shares_a_redis_cache():
    env = {**PRODUCTION, "REDIS_URL": "redis://redis.example:6379/0"}
    backend = _setting("settings.CACHES['default']['BACKEND']", env)
    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert _setting("settings.SESSION_ENGINE", env) == "django.contrib.sessions.backends.db"
