"""Seed the default draw ratios (RULES.md R11.1) as published rule versions."""

from django.db import migrations


def load(apps, schema_editor):
    from django.utils import timezone

    from sanxiang.inspections.data.ratios import CITATION, DEFAULT_RATIOS, EFFECTIVE_FROM

    DrawRatioRule = apps.get_model("inspections", "DrawRatioRule")
    for risk, percent, rounding in DEFAULT_RATIOS:
        code = f"ratio.{risk}"
        if DrawRatioRule.objects.filter(code=code).exists():
            continue
        DrawRatioRule.objects.create(
            code=code, version=1, status="published", effective_from=EFFECTIVE_FROM, citation=CITATION,
            risk_level=risk, percent=percent, rounding=rounding, created_by="system",
            published_at=timezone.now(), note="默认值，待本局确认 [U]",
        )


def unload(apps, schema_editor):
    apps.get_model("inspections", "DrawRatioRule").objects.filter(created_by="system", version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
