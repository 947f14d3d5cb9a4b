"""The roles get the monitoring tables' permissions (managers read thresholds, alerts and job runs; admins all):
the same sync as 0001, run again now that those tables exist."""

from importlib import import_module

from django.db import migrations

create_roles = import_module("accounts.migrations.0001_roles").create_roles


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_managers_are_staff"),
        ("models_registry", "0005_monitoring"),
        ("feedback", "0002_feedback_audit"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
