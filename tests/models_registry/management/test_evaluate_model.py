import json

import pytest
from django.core.management import CommandError, call_command

KEYS = {"n", "accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc", "confusion", "per_source"}


@pytest.fixture
def pairs_csv(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text(
        "name1,name2,label,source\n"
        "Acme LLC,Acme Inc,1,a\n"
        "Fund I,Fund II,1,a\n"
        "BOSCH GMBH ROBERT,Robert Bosch GmbH,0,b\n"
        "Siemens Aktiengesellschaft,SIEMENS AG,0,b\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.django_db
class TestEvaluateModel:
    def test_json_is_exactly_one_object_with_the_documented_keys(self, active_model_version, pairs_csv, capsys):
        call_command("evaluate_model", str(pairs_csv), "--json")
        out = capsys.readouterr().out
        result = json.loads(out)  # the whole of stdout parses as one JSON object
        assert set(result) == KEYS
        assert result["n"] == 4 and set(result["per_source"]) == {"a", "b"}
        assert sum(map(sum, result["confusion"])) == 4

    def test_text_report_lists_overall_and_per_source(self, active_model_version, pairs_csv, capsys):
        call_command("evaluate_model", str(pairs_csv))
        out = capsys.readouterr().out
        assert "[all] n=4" in out and "[a] n=2" in out and "[b] n=2" in out and "roc_auc=" in out

    def test_uses_the_models_own_threshold(self, active_model_version, pairs_csv, capsys, small_comparator_path):
        from comparisons.engine import Comparator

        call_command("evaluate_model", str(pairs_csv))
        assert f"threshold {Comparator.load(small_comparator_path).threshold:.3f}" in capsys.readouterr().out

    def test_bad_file_names_the_row(self, active_model_version, tmp_path):
        bad = tmp_path / "bad.csv"
        bad.write_text("name1,name2,label\nAcme,Acme Ltd,0\nAcme,,1\n", encoding="utf-8")
        with pytest.raises(CommandError, match="row 3"):
            call_command("evaluate_model", str(bad))

    def test_no_active_model(self, db, pairs_csv):
        from models_registry.serving import model_server

        model_server.reset()
        with pytest.raises(CommandError, match="no active model"):
            call_command("evaluate_model", str(pairs_csv))
