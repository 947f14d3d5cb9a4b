import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from comparisons.engine import Comparator
from comparisons.engine.evaluation import PairsFileError, evaluate, read_pairs_csv
from models_registry.serving import model_server


class Command(BaseCommand):
    help = "Evaluate a model on a CSV of name1,name2,label[,source] at the model's own threshold."

    def add_arguments(self, parser):
        parser.add_argument("pairs_csv")
        parser.add_argument("--json", action="store_true", help="print exactly one JSON object on stdout")
        parser.add_argument("--model", help="path of a saved comparator (default: the active version)")

    def handle(self, *args, pairs_csv, model, **options):
        as_json = options["json"]
        try:
            data = read_pairs_csv(pairs_csv)
        except PairsFileError as exc:
            raise CommandError(str(exc)) from exc
        if model:
            comparator, label = Comparator.load(model), model
        else:
            served = model_server.current()
            if served is None:
                raise CommandError("no active model: run `python manage.py train_model` first")
            comparator, label = served.comparator, served.label
        result = evaluate(data.labels, comparator.predict_proba(data.pairs), comparator.threshold, data.sources)
        if as_json:
            self.stdout.write(_json_dumps(result))
            return
        self.stdout.write(f"model {label}, threshold {comparator.threshold:.3f}")
        self._print(result, "all")
        for source, values in result["per_source"].items():
            self._print(values, source)

    def _print(self, r: dict, title: str) -> None:
        fmt = lambda v: "n/a" if v is None else f"{v:.4f}"  # noqa: E731
        self.stdout.write(
            f"[{title}] n={r['n']} accuracy={fmt(r['accuracy'])} balanced_accuracy={fmt(r['balanced_accuracy'])} "
            f"precision={fmt(r['precision'])} recall={fmt(r['recall'])} f1={fmt(r['f1'])} roc_auc={fmt(r['roc_auc'])}"
        )
        (tn, fp), (fn, tp) = r["confusion"]
        self.stdout.write(
            f"    confusion (rows true, cols predicted; 0 immaterial, 1 material): [[{tn} {fp}] [{fn} {tp}]]"
        )


def _json_dumps(obj) -> str:
    return jsonlib.dumps(obj, sort_keys=True)
