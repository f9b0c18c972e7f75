from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse


class CityRegion(models.Model):
    """A mayoral combined authority (or any city region) whose readiness is assessed."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    mayor_name = models.CharField("mayor's name", max_length=200)
    mayor_took_office = models.DateField(
        "date the mayor took office",
        help_text="Day 1 of the mayor's first 100 days.",
    )
    is_demo = models.BooleanField(
        default=False, help_text="Seeded demonstration data; its answers are fictional."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "city region"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessments:region-detail", kwargs={"region_slug": self.slug})

    def day_in_office(self, today: date) -> int:
        """Day 1 is the day the mayor took office; before then the day is 0 or negative."""
        return (today - self.mayor_took_office).days + 1

    @property
    def hundred_days_end(self) -> date:
        return self.mayor_took_office + timedelta(days=99)


class Membership(models.Model):
    class Role(models.TextChoices):
        EDITOR = "editor", "Editor (mayoral staff who answer)"
        VIEWER = "viewer", "Viewer (officials who read and download)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    region = models.ForeignKey(CityRegion, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="unique_membership_per_region"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.region} ({self.get_role_display()})"

    @property
    def is_editor(self) -> bool:
        return self.role == self.Role.EDITOR
