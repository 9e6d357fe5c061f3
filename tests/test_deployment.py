"""docker-compose.yml cannot be run here (no Docker engine), so check that it
agrees with what the settings read."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
APP_SERVICES = ("web", "worker", "beat")
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
    assert set(compose["services"]) == {"db", "redis", "web", "worker", "beat"}


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
