from django.apps import AppConfig


class CityDigitalConfig(AppConfig):
    name = "citydigital"
    verbose_name = "City Digital Readiness"
