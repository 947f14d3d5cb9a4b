import pytest
from django.core.management import CommandError, call_command

from models_registry.serving import model_server


@pytest.mark.django_db
def test_compare_prints_verdict_probabilities_and_reasons(active_model_version, capsys):
    call_command("compare", "Acme LLC", "Acme Inc")
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.split()[0] in {"MATERIAL", "IMMATERIAL"}
    assert "P(material)=" in first and "confidence=" in first and f"v{active_model_version.version}" in first
    assert "normalised:" in out and "  - " in out


@pytest.mark.django_db
def test_compare_without_a_model_is_a_clear_error(db):
    model_server.reset()
    with pytest.raises(CommandError, match="train_model"):
        call_command("compare", "A", "B")
