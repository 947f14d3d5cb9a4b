"""The checks of 0005 as constraints, in a migration of their own: PostgreSQL refuses an ALTER TABLE in the
transaction that updated the rows (pending trigger events)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('comparisons', '0005_prediction_experiment_arms'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='prediction',
            constraint=models.CheckConstraint(condition=models.Q(('shadow_probability__isnull', True), models.Q(('shadow_probability__gte', 0), ('shadow_probability__lte', 1)), _connector='OR'), name='prediction_shadow_probability_0_1'),
        ),
        migrations.AddConstraint(
            model_name='prediction',
            constraint=models.CheckConstraint(condition=models.Q(('experiment__isnull', True), ('variant__in', ['A', 'B']), _connector='OR'), name='prediction_experiment_variant'),
        ),
    ]
