"""The status log belongs with the incident: StatusTransition moves from review to incidents (same table), and gains
a reason code with its parameters. Existing rows' system-written notes become codes (see 0008)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STATUS_CHOICES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("in_review", "In review"),
    ("verified", "Verified"),
    ("changes_requested", "Changes requested"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0008_duplicate_candidates"),
        ("review", "0002_notifications"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(model_name="historicalincident", name="merge_note", field=models.TextField(blank=True)),
        migrations.AddField(model_name="incident", name="merge_note", field=models.TextField(blank=True)),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StatusTransition",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("from_status", models.CharField(choices=STATUS_CHOICES, max_length=20)),
                        ("to_status", models.CharField(choices=STATUS_CHOICES, max_length=20)),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("note", models.TextField(blank=True)),
                        (
                            "by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "incident",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="transitions",
                                to="incidents.incident",
                            ),
                        ),
                    ],
                    options={"db_table": "review_statustransition", "ordering": ["at", "pk"]},
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="statustransition",
            name="reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("submitted", "Submitted for review"),
                    ("withdrawn", "Withdrawn to draft"),
                    ("taken", "Taken for review"),
                    ("assigned", "Assigned for review"),
                    ("released", "Released back to the queue"),
                    ("verified", "Verified"),
                    ("changes_requested", "Changes requested"),
                    ("reopened", "A substantive change sent it back to review"),
                ],
                max_length=24,
            ),
        ),
        migrations.AddField(
            model_name="statustransition", name="params", field=models.JSONField(blank=True, default=dict)
        ),
    ]
