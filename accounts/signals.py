"""At every sign-in (our page, the admin's, an invitation's), note in the session whether it
must also pass the code step, so that accounts.middleware need not ask the database on every
request. django-axes and django-otp hook the same signal."""

from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from accounts import selectors, session


@receiver(user_logged_in, dispatch_uid="accounts.two_factor_noted")
def _note_two_factor(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: object
) -> None:
    if request is not None and hasattr(request, "session"):
        session.two_factor_note(request, applies=selectors.two_factor_applies(user=user))
