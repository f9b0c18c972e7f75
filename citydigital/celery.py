import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydigital.settings")

app = Celery("citydigital")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.imports = ("citydigital.tasks",)


def ensure_filesystem_broker_folders() -> None:
    """The filesystem transport and beat's schedule file fail on missing folders."""
    Path(app.conf.beat_schedule_filename).parent.mkdir(parents=True, exist_ok=True)
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    backend = app.conf.result_backend or ""
    if backend.startswith("file://"):
        Path(backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


ensure_filesystem_broker_folders()
