"""Email, and each person's choice of which emails they get.

Its own app because it belongs to no single domain app: invitations (team), theme owners and
comments (assessments) and briefings (reports) all send email through one service here, and a
person's notification settings cover events from all of them. The domain apps call
`notifications.services`; this app imports none of them.
"""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Email and notifications"
