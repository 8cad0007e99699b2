# Days past due become a date they count from (ADR 0009): the stored count went stale every night.

from django.db import migrations, models


def anchor(apps, schema_editor):
    """Each owing case counts from today less its days past due, in one statement; the next nightly
    run recomputes the date from the overdue date and the pauses, so a day's difference heals."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("UPDATE cases_case SET aged_from = CURRENT_DATE - GREATEST(dpd, 0) WHERE total > 0")
    else:
        schema_editor.execute(
            "UPDATE cases_case SET aged_from = date('now', '-' || MAX(dpd, 0) || ' days') WHERE total > 0"
        )


def count(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE cases_case SET dpd = GREATEST(CURRENT_DATE - aged_from, 0) WHERE aged_from IS NOT NULL"
        )
    else:
        schema_editor.execute(
            "UPDATE cases_case SET dpd = MAX(CAST(julianday('now') - julianday(aged_from) AS INTEGER), 0)"
            " WHERE aged_from IS NOT NULL"
        )


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
