"""No Docker engine runs here, so the compose file is checked against the settings it feeds."""

import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_env_names() -> set[str]:
    source = (ROOT / "citydigital" / "settings.py").read_text()
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))


def test_services_and_their_commands():
    services = compose()["services"]
    assert set(services) == {"web", "worker", "redis", "db"}
    assert "gunicorn citydigital.wsgi:application" in services["web"]["command"]
    assert "migrate" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A citydigital worker")
    assert "--appendonly yes" in services["redis"]["command"]
    assert services["db"]["image"].startswith("postgres:")


def test_every_service_has_a_healthcheck_and_the_app_waits_for_healthy_backends():
    services = compose()["services"]
    for name, service in services.items():
        assert "healthcheck" in service, name
    for name in ("web", "worker"):
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }


def test_media_is_a_named_volume_shared_by_web_and_worker():
    data = compose()
    assert "media" in data["volumes"]
    for name in ("web", "worker"):
        assert "media:/app/var/media" in data["services"][name]["volumes"]


def test_environment_names_match_the_settings():
    data = compose()
    read_by_settings = settings_env_names()
    for name in ("web", "worker"):
        environment = data["services"][name]["environment"]
        assert set(environment) <= read_by_settings, set(environment) - read_by_settings
        assert environment["DJANGO_ENV"] == "production"
    example = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    # Every variable the settings read is documented, and the example names no stray ones.
    assert read_by_settings <= example, read_by_settings - example
    assert example - read_by_settings == {"POSTGRES_PASSWORD"}


def test_dockerfile_installs_weasyprint_libraries_and_the_locked_packages():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "fonts-dejavu-core",
        "fonts-liberation",
    ):
        assert package in dockerfile
    assert "--require-hashes -r requirements.lock" in dockerfile
