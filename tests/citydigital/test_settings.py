import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x7#kq!m2@w9$z4^v6&b1*n8(c3)p5_r0+t-y=u[i]o{a}s|d;f:g'h<j>l,e.QWERTYUIOP",
    "DJANGO_ALLOWED_HOSTS": "readiness.example.org",
    "DATABASE_URL": "postgres://app:secret@db:5432/citydigital",
    "REDIS_URL": "redis://redis:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "DEFAULT_FROM_EMAIL": "City Digital Readiness <no-reply@readiness.example.org>",
    "SITE_URL": "https://readiness.example.org",
    "CONTACT_EMAIL": "digital-readiness@combined-authority.example",
}


def run_python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_with_production_values_prints_no_warnings():
    result = run_python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "EMAIL_URL",
        "DEFAULT_FROM_EMAIL",
        "SITE_URL",
        "CONTACT_EMAIL",
    ],
)
def test_production_start_up_stops_naming_a_missing_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_python("manage.py", "check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_local_defaults_need_no_variables():
    result = run_python(
        "-c",
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.DEBUG, s.CONTACT_EMAIL)",
        env={"DJANGO_SETTINGS_MODULE": "citydigital.settings"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "False",
        "digital-readiness@example.org",
    ]


def test_the_contact_address_follows_the_environment():
    result = run_python(
        "-c",
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CONTACT_EMAIL)",
        env={**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "citydigital.settings"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "digital-readiness@combined-authority.example"


@pytest.mark.django_db
def test_database_and_broker_follow_the_environment():
    from citydigital.celery import app

    if os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")):
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor == "sqlite"
    if os.environ.get("REDIS_URL"):
        assert app.conf.broker_url.startswith("redis://")
        assert app.conf.broker_transport_options["visibility_timeout"] > (app.conf.task_time_limit)
    else:
        assert app.conf.broker_url == "filesystem://"


def test_celery_is_configured_for_long_jobs():
    from citydigital.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_serializer == "json"
    assert app.conf.result_serializer == "json"


EMAIL_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, "
    "s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.SITE_URL, sep='|'); print(s.DEFAULT_FROM_EMAIL)"
)


def test_locally_email_is_written_to_files_under_var_mail():
    result = run_python(
        "-c", EMAIL_SETTINGS, env={"DJANGO_SETTINGS_MODULE": "citydigital.settings"}
    )
    assert result.returncode == 0, result.stderr
    backend, path, *_, site_url = result.stdout.splitlines()[0].split("|")
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert path == str(settings.BASE_DIR / "var" / "mail")
    assert site_url == "http://127.0.0.1:8000"
    assert result.stdout.splitlines()[1] == "City Digital Readiness <no-reply@localhost>"


@pytest.mark.parametrize(
    ("url", "tls", "ssl"),
    [
        ("smtp+tls://mailer:secret@smtp.example.org:587", "True", "False"),
        ("smtp+ssl://mailer:secret@smtp.example.org:465", "False", "True"),
    ],
)
def test_email_url_configures_smtp(url, tls, ssl):
    port = url.rsplit(":", 1)[1]
    result = run_python(
        "-c",
        EMAIL_SETTINGS,
        env={
            **PRODUCTION_ENV,
            "DJANGO_SETTINGS_MODULE": "citydigital.settings",
            "EMAIL_URL": url,
            "SITE_URL": "https://x.org/",
        },
    )
    assert result.returncode == 0, result.stderr
    backend, _, host, got_port, user, use_tls, use_ssl, site_url = result.stdout.splitlines()[
        0
    ].split("|")
    assert backend == "django.core.mail.backends.smtp.EmailBackend"
    assert (host, got_port, user) == ("smtp.example.org", port, "mailer")
    assert (use_tls, use_ssl) == (tls, ssl)
    assert site_url == "https://x.org"
