"""Managers become staff: the Django admin's read-only views are open to them (their permissions stay view-only)."""

from django.db import migrations


def managers_are_staff(apps, schema_editor):
    apps.get_model("auth", "User").objects.filter(groups__name="manager").update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_roles")]

    operations = [migrations.RunPython(managers_are_staff, migrations.RunPython.noop)]
