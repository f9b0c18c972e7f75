"""Dates and people in templates, printed by `assessments.formatting` like everywhere else:
`{% load formatting %}` then `{{ day|long_date }}` ("11 May 2026"), `{{ day|short_date }}`
("11 Sep 2026"), `{{ moment|date_time }}` ("11 May 2026 at 14:05"), `{{ moment|time_of_day }}`
("14:05") or `{{ user|person }}` ("Ada Editor"). A datetime is shown in local time; nothing
(None, "") prints as nothing, except a removed account, which `person` names "a former
member"."""

from datetime import date, datetime

from django import template
from django.contrib.auth.models import User
from django.utils import timezone

from assessments import formatting

register = template.Library()


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _local_moment(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter(expects_localtime=False)
def long_date(value: date | datetime | None) -> str:
    return formatting.date_text(_local(value)) if value else ""


@register.filter(expects_localtime=False)
def short_date(value: date | datetime | None) -> str:
    return formatting.date_short_text(_local(value)) if value else ""


@register.filter(expects_localtime=False)
def date_time(value: datetime | None) -> str:
    return formatting.datetime_text(_local_moment(value)) if value else ""


@register.filter(expects_localtime=False)
def time_of_day(value: datetime | None) -> str:
    return formatting.time_text(_local_moment(value)) if value else ""


@register.filter
def person(user: User | None) -> str:
    if user is None:
        return formatting.person_text("", "")
    return formatting.person_text(user.get_full_name(), user.get_username())
