"""Reasons become data: each stored reason string becomes {"kind": "legacy", "text": ..., "left": [], "right": []}.

Old sentences are not parsed back into kinds (their wording was never a contract); they keep their text and
read as ``legacy`` everywhere. Reverse: each reason object back to its text."""

from django.db import migrations

BATCH = 2000


def _rewrite(apps, convert) -> None:
    """Apply ``convert`` to every reason, saving the rows it changes in batches."""
    Prediction = apps.get_model("comparisons", "Prediction")
    changed = []
    for prediction in Prediction.objects.only("pk", "reasons").iterator(chunk_size=BATCH):
        reasons = [convert(r) for r in prediction.reasons or []]
        if reasons != prediction.reasons:
            prediction.reasons = reasons
            changed.append(prediction)
        if len(changed) >= BATCH:
            Prediction.objects.bulk_update(changed, ["reasons"])
            changed = []
    if changed:
        Prediction.objects.bulk_update(changed, ["reasons"])


def forwards(apps, schema_editor):
    _rewrite(apps, lambda r: {"kind": "legacy", "text": r, "left": [], "right": []} if isinstance(r, str) else r)


def backwards(apps, schema_editor):
    _rewrite(apps, lambda r: r.get("text", "") if isinstance(r, dict) else r)


class Migration(migrations.Migration):
    dependencies = [("comparisons", "0003_prediction_confidence_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
