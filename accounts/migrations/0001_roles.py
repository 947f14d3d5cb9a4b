"""Create the groups analyst, manager and admin with the permissions listed in accounts.roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from accounts.roles import assign_role_permissions

    # Permissions are normally created after migrate; make sure they exist now. create_permissions skips an app
    # whose models_module is unset, as it is in the migration state; put back what was there, so that a caller
    # passing the real app registry (a test) does not leave every app looking model-less.
    for app_config in apps.get_app_configs():
        previous, app_config.models_module = getattr(app_config, "models_module", None), True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = previous

    assign_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def drop_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["analyst", "manager", "admin"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("comparisons", "0001_initial"),
        ("feedback", "0001_initial"),
        ("models_registry", "0001_initial"),
        ("experiments", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(create_roles, drop_roles)]
