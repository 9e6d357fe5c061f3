"""docker-compose.yml cannot be run here (no Docker engine, no compose
plugin: `docker compose config` is unavailable), so check that it agrees with
what the settings read and holds the production shape."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
APP_SERVICES = ("migrate", "web", "worker", "beat")
REQUIRED_IN_PRODUCTION = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "MEDIA_ROOT",
}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_has_the_production_services(compose):
    assert set(compose["services"]) == {"db", "redis", "migrate", "web", "worker", "beat"}


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_variable_is_one_the_settings_read(compose, service):
    environment = compose["services"][service]["environment"]
    assert set(environment) <= set(settings.ENVIRONMENT_VARIABLES)
    assert set(environment) >= REQUIRED_IN_PRODUCTION
    assert environment["DEBUG"] == "false"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_the_urls_point_at_the_compose_services(compose, service):
    environment = compose["services"][service]["environment"]
    database_host = re.search(r"@([\w-]+):5432/", environment["DATABASE_URL"]).group(1)
    redis_host = re.search(r"redis://([\w-]+):", environment["REDIS_URL"]).group(1)
    assert database_host in compose["services"]
    assert redis_host in compose["services"]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_media_is_a_volume_at_media_root(compose, service):
    definition = compose["services"][service]
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in definition["volumes"]}
    assert definition["environment"]["MEDIA_ROOT"] in mounts
    assert mounts[definition["environment"]["MEDIA_ROOT"]] in compose["volumes"]


def test_the_database_keeps_its_data_in_a_volume(compose):
    assert any("pgdata" in v for v in compose["services"]["db"]["volumes"])


def test_the_settings_list_every_variable_they_read():
    source = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', source))
    assert read == set(settings.ENVIRONMENT_VARIABLES)


def test_the_image_installs_the_fonts_and_subsetter():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("libharfbuzz-subset0", "fonts-noto-cjk", "texlive-lang-chinese"):
        assert package in dockerfile


@pytest.mark.parametrize("service", ["db", "redis", "web", "worker"])
def test_the_long_running_services_have_health_checks(compose, service):
    healthcheck = compose["services"][service]["healthcheck"]
    assert healthcheck["test"] and not healthcheck.get("disable")


@pytest.mark.parametrize("service", ["web", "worker", "beat"])
def test_the_app_waits_for_healthy_services_and_the_migrations(compose, service):
    depends = compose["services"][service]["depends_on"]
    assert depends["db"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_migrations_and_catalogues_run_once_before_the_app(compose):
    migrate = compose["services"]["migrate"]
    assert migrate["restart"] == "no"
    for step in ("migrate --no-input", "load_catalogs", "check --deploy"):
        assert step in migrate["command"]
    assert "migrate" not in " ".join(compose["services"]["web"]["command"])


def test_beat_runs_once_and_workers_scale(compose):
    assert compose["services"]["beat"]["deploy"]["replicas"] == 1
    assert "ports" not in compose["services"]["worker"]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_settings_come_from_the_env_file(compose, service):
    env_files = compose["services"][service]["env_file"]
    assert [entry["path"] for entry in env_files] == [".env.production"]


def test_the_env_example_names_only_variables_something_reads(compose):
    example = (ROOT / "deploy" / "env.production.example").read_text()
    names = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.M))
    read_elsewhere = {"POSTGRES_PASSWORD", "WEB_CONCURRENCY"}  # compose; gunicorn
    assert names - read_elsewhere <= set(settings.ENVIRONMENT_VARIABLES)
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "POSTGRES_PASSWORD"} <= names


def test_the_image_collects_static_files_with_the_production_settings():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "DEBUG=true" not in dockerfile
    assert "DEBUG=false" in dockerfile and "collectstatic" in dockerfile
    assert "scripts/vendor_static.sh" in dockerfile
