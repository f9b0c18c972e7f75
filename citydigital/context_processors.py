from django.conf import settings
from django.http import HttpRequest

SERVICE_NAME = "City Digital Readiness"


def service(request: HttpRequest) -> dict[str, str]:
    return {"service_name": SERVICE_NAME, "contact_email": settings.CONTACT_EMAIL}
