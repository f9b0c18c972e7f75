from django.db import migrations, models


def promote_first_editors(apps, schema_editor):
    """Every region keeps at least one region admin: in each region that has editors, the one who
    joined first becomes its region admin (before this migration any editor could do what an
    admin now does, such as publishing open data)."""
    Membership = apps.get_model("assessments", "Membership")
    CityRegion = apps.get_model("assessments", "CityRegion")
    for region in CityRegion.objects.exclude(memberships__role="admin"):
        first = (
            Membership.objects.filter(region=region, role="editor")
            .order_by("created_at", "pk")
            .first()
        )
        if first is not None:
            first.role = "admin"
            first.save(update_fields=["role"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_ordering_by_own_columns"),
    ]

    operations = [
        migrations.AlterField(
            model_name="cityregion",
            name="open_data_since",
            field=models.DateTimeField(
                blank=True,
                help_text="When a region admin opted in to publish the latest submitted scores.",
                null=True,
                verbose_name="publishing open data since",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[
                    ("admin", "Region admin (leads the team)"),
                    ("editor", "Editor (mayoral staff who answer)"),
                    ("viewer", "Viewer (officials who read and download)"),
                ],
                default="viewer",
                max_length=20,
            ),
        ),
        migrations.RunPython(promote_first_editors, migrations.RunPython.noop),
    ]
