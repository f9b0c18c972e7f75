"""What the page benchmarks share: a throwaway SQLite database with Django set up like the
test client expects, and the timing of GET requests (median, 90th percentile, query count)."""

import os
import statistics
import tempfile
import time
from pathlib import Path


def django_setup(prefix: str) -> Path:
    """Point Django at a new SQLite database under a temporary folder, migrate it, and return
    the folder. Call before importing any model."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydigital.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    return workdir


def time_pages(client, pages: dict[str, str], runs: int) -> None:
    """GET each page `runs` times after a warm-up and print its figures."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name, url in pages.items():
        for _ in range(3):  # warm caches: templates, session, content types
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"the {name} answered {response.status_code}")
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p90 = statistics.quantiles(timings, n=10)[-1]
        print(
            f"{name}: median server time {statistics.median(timings):.1f} ms, "
            f"90th percentile {p90:.1f} ms, {len(queries)} queries"
        )
