from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class CityDigitalConfig(AppConfig):
    name = "citydigital"
    verbose_name = "City Digital Readiness"


class StaticFilesConfig(BaseStaticFilesConfig):
    # static/src holds the Sass and build script; only static/build and our files are served.
    ignore_patterns = [*BaseStaticFilesConfig.ignore_patterns, "src"]
