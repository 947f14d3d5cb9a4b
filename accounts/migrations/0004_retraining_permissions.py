"""The roles get the retraining tables' permissions (managers read retraining checks and promotion decisions; admins
all): the same sync as 0001, run again now that those tables exist."""

from importlib import import_module

from django.db import migrations

create_roles = import_module("accounts.migrations.0001_roles").create_roles


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_monitoring_permissions"),
        ("models_registry", "0007_retraining"),
        ("feedback", "0003_feedback_holdout"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
