import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from models_registry.models import ModelMetric, ModelVersion
from tests.comparisons.factories import PredictionFactory
from tests.models_registry.factories import ModelVersionFactory


@pytest.mark.django_db
class TestModelVersionConstraints:
    def test_second_active_version_of_same_name_is_refused(self):
        ModelVersionFactory(is_active=True)
        with pytest.raises(IntegrityError), transaction.atomic():
            ModelVersionFactory(is_active=True)
        assert ModelVersion.objects.filter(is_active=True).count() == 1

    def test_active_versions_of_different_names_coexist(self):
        ModelVersionFactory(is_active=True)
        ModelVersionFactory(is_active=True, name="uk-policy")
        assert ModelVersion.objects.filter(is_active=True).count() == 2

    def test_duplicate_version_number_is_refused(self):
        ModelVersionFactory(version=7)
        with pytest.raises(IntegrityError), transaction.atomic():
            ModelVersionFactory(version=7)

    def test_threshold_outside_0_1_is_refused(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            ModelVersionFactory(threshold=1.5)

    def test_version_with_predictions_cannot_be_deleted(self, analyst):
        prediction = PredictionFactory(user=analyst)
        with pytest.raises(ProtectedError):
            prediction.model_version.delete()
        assert ModelVersion.objects.filter(pk=prediction.model_version_id).exists()

    def test_version_with_metrics_cannot_be_deleted(self):
        from django.utils import timezone

        version = ModelVersionFactory()
        ModelMetric.objects.create(
            model_version=version, metric_name="accuracy", metric_value=0.9, recorded_at=timezone.now()
        )
        with pytest.raises(ProtectedError):
            version.delete()
