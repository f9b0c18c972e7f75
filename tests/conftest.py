import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made beside it
# in browser tests are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["tests.fixtures.workers", "tests.fixtures.browser"]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # The manifest needs collectstatic; tests serve static files straight from static/.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # pytest-django's live server does not recognise our StaticFilesConfig subclass, so it
    # serves /static/ from STATIC_ROOT (read per request): point that at static/ as well,
    # or browser tests would get a stale collectstatic output, or nothing on a fresh clone.
    settings.STATIC_ROOT = str(settings.BASE_DIR / "static")
