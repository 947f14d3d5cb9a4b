"""Reasons become data: each stored reason string becomes {"kind": "legacy", "text": ..., "left": [], "right": []}.

Old sentences are not parsed back into kinds (their wording was never a contract); they keep their text and
read as ``legacy`` everywhere. Reverse: each reason object back to its text."""

from django.db import migrations

BATCH = 2000


def forwards(apps, schema_editor):
    Prediction = apps.get_model("comparisons", "Prediction")
    changed = []
    for prediction in Prediction.objects.only("pk", "reasons").iterator(chunk_size=BATCH):
        if any(isinstance(r, str) for r in prediction.reasons or []):
            prediction.reasons = [
                {"kind": "legacy", "text": r, "left": [], "right": []} if isinstance(r, str) else r
                for r in prediction.reasons
            ]
            changed.append(prediction)
        if len(changed) >= BATCH:
            Prediction.objects.bulk_update(changed, ["reasons"])
            changed = []
    if changed:
        Prediction.objects.bulk_update(changed, ["reasons"])


def backwards(apps, schema_editor):
    Prediction = apps.get_model("comparisons", "Prediction")
    changed = []
    for prediction in Prediction.objects.only("pk", "reasons").iterator(chunk_size=BATCH):
        prediction.reasons = [r.get("text", "") if isinstance(r, dict) else r for r in prediction.reasons or []]
        changed.append(prediction)
        if len(changed) >= BATCH:
            Prediction.objects.bulk_update(changed, ["reasons"])
            changed = []
    if changed:
        Prediction.objects.bulk_update(changed, ["reasons"])


class Migration(migrations.Migration):
    dependencies = [("comparisons", "0003_prediction_confidence_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
