"""Request types for the type checker."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    """The request a `login_required` view receives: its user is signed in. Annotation only
    (django-stubs' documented pattern); Django still passes a plain HttpRequest."""

    user: User
