"""0004: reasons stored as sentences before reasons were data read back as ``legacy`` reasons, and back again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("comparisons", "0003_prediction_confidence_index")]
AFTER = [("comparisons", "0004_structured_reasons")]
SENTENCE = "legal form differs: LLC vs Inc"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_stored_sentences_become_legacy_reasons_and_back(model_version, analyst):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        prediction = _migrate(BEFORE).get_model("comparisons", "Prediction")
        row = prediction.objects.create(
            user_id=analyst.pk,
            model_version_id=model_version.pk,
            name1="Acme LLC",
            name2="Acme Inc",
            material=True,
            probability_material=0.9,
            confidence=0.9,
            reasons=[SENTENCE],
        )
        migrated = _migrate(AFTER).get_model("comparisons", "Prediction").objects.get(pk=row.pk)
        assert migrated.reasons == [{"kind": "legacy", "text": SENTENCE, "left": [], "right": []}]
        reverted = _migrate(BEFORE).get_model("comparisons", "Prediction").objects.get(pk=row.pk)
        assert reverted.reasons == [SENTENCE]
    finally:
        _migrate(latest)
