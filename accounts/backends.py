"""Sign-in by username or by email address, without telling which exists."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.http import HttpRequest

from accounts import selectors


class UsernameOrEmailBackend(ModelBackend):
    """Django's ModelBackend, where the username may also be an email address (any case).

    A username matches first, exactly, as in ModelBackend; otherwise an email address matching
    one account only. When nothing matches, the password hasher still runs once, so a wrong
    name takes as long as a wrong password."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        user = selectors.user_for_sign_in(name=username)
        if user is None:
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
