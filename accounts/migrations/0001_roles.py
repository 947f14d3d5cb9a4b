"""Create the groups analyst, manager and admin with the permissions listed in accounts.roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from accounts.roles import ADMIN_APPS, FORBIDDEN, ROLE_PERMISSIONS

    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        if perms == ["*"]:
            qs = Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
        else:
            wanted = [p.split(".") for p in perms]
            qs = Permission.objects.none()
            for app_label, codename in wanted:
                qs = qs | Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        allowed = [p for p in qs.select_related("content_type") if f"{p.content_type.app_label}.{p.codename}" not in FORBIDDEN]
        group.permissions.set(allowed)


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
