"""The rules of 0002 and 0003 as constraints, in a migration of their own: PostgreSQL refuses an ALTER TABLE in the
transaction that updated the rows (pending trigger events)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('experiments', '0003_experiment_routing_data'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='experiment',
            constraint=models.CheckConstraint(condition=models.Q(('traffic_split__gt', 0), ('traffic_split__lt', 1)), name='experiment_traffic_split_0_1'),
        ),
        migrations.AddConstraint(
            model_name='experiment',
            constraint=models.CheckConstraint(condition=models.Q(('minimum_detectable_difference__gt', 0), ('minimum_detectable_difference__lt', 1)), name='experiment_mdd_0_1'),
        ),
        migrations.AddConstraint(
            model_name='experiment',
            constraint=models.CheckConstraint(condition=models.Q(('is_active', False), models.Q(('started_at__isnull', False), ('ended_at__isnull', True)), _connector='OR'), name='experiment_running_is_started'),
        ),
        migrations.AddConstraint(
            model_name='experiment',
            constraint=models.UniqueConstraint(condition=models.Q(('is_active', True)), fields=('model_name',), name='experiment_one_running_per_model', violation_error_message='Another experiment on this model is already running.'),
        ),
    ]
