# Days past due become a date they count from (ADR 0009): the stored count went stale every night.

import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def anchor(apps, schema_editor):
    """Each owing case counts from today less its days past due; the next nightly run recomputes the
    anchor from the overdue date and the pauses, so a day's difference here heals overnight."""
    case = apps.get_model("cases", "Case")
    today = timezone.localdate()
    for days in case.objects.filter(total__gt=0).values_list("dpd", flat=True).distinct():
        case.objects.filter(total__gt=0, dpd=days).update(aged_from=today - dt.timedelta(days=max(days, 0)))


def count(apps, schema_editor):
    case = apps.get_model("cases", "Case")
    today = timezone.localdate()
    for aged_from in case.objects.exclude(aged_from=None).values_list("aged_from", flat=True).distinct():
        case.objects.filter(aged_from=aged_from).update(dpd=max((today - aged_from).days, 0))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_lean_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="aged_from",
            field=models.DateField(blank=True, null=True, verbose_name="days past due count from"),
        ),
        migrations.AlterField(model_name="case", name="dpd", field=models.IntegerField(default=0)),
        migrations.RunPython(anchor, count),
        migrations.RemoveField(model_name="case", name="dpd"),
    ]
