"""The experiments admin: created through the service's rules, started and stopped through the services, refusals
as messages (never a 500), and what a started experiment measures read-only."""

import pytest
from django.urls import reverse

from experiments.models import Experiment
from experiments.services import experiment_create
from tests.models_registry.factories import ModelVersionFactory
from tests.users import make_user

CHANGELIST = reverse("admin:experiments_experiment_changelist")
ADD = reverse("admin:experiments_experiment_add")


@pytest.fixture
def admin_client_(client, db):
    client.force_login(make_user("admin9", "admin"))
    return client


def _form(a, b, **overrides):
    return {
        "name": "a-vs-b",
        "description": "",
        "model_a": str(a.pk),
        "model_b": str(b.pk),
        "traffic_split": "0.3",
        "minimum_detectable_difference": "0.05",
        **overrides,
    }


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
class TestCreate:
    def test_an_experiment_is_created_with_its_model_name(self, admin_client_, arms):
        a, b = arms
        response = admin_client_.post(ADD, _form(a, b))
        assert response.status_code == 302, response.content.decode()[:2000]
        experiment = Experiment.objects.get()
        assert (experiment.model_name, experiment.traffic_split, experiment.is_active) == (a.name, 0.3, False)

    @pytest.mark.parametrize(
        ("change", "field", "message"),
        [
            ("same", "model_b", "same version as arm A"),
            ("other_name", "model_b", "both arms must be versions of one"),
            ("split", "traffic_split", "strictly between 0 and 1"),
        ],
    )
    def test_bad_input_names_the_field_and_writes_nothing(self, admin_client_, arms, change, field, message):
        a, b = arms
        if change == "same":
            data = _form(a, a)
        elif change == "other_name":
            data = _form(a, ModelVersionFactory(name="another-model"))
        else:
            data = _form(a, b, traffic_split="1")
        response = admin_client_.post(ADD, data)
        assert response.status_code == 200
        assert message in " ".join(response.context["adminform"].form.errors[field])
        assert not Experiment.objects.exists()


@pytest.mark.django_db
class TestStartStop:
    def test_start_then_a_second_on_the_same_model_is_a_message_not_a_500(self, admin_client_, arms):
        a, b = arms
        first = experiment_create(name="first", model_a=a, model_b=b)
        second = experiment_create(name="second", model_a=b, model_b=a)

        response = admin_client_.post(
            CHANGELIST, {"action": "start_experiments", "_selected_action": [str(first.pk)]}, follow=True
        )
        assert _messages(response) == ["first: started"]
        response = admin_client_.post(
            CHANGELIST, {"action": "start_experiments", "_selected_action": [str(second.pk)]}, follow=True
        )
        assert response.status_code == 200 and "already running" in _messages(response)[0]
        assert list(Experiment.objects.filter(is_active=True)) == [first]

        response = admin_client_.post(
            CHANGELIST, {"action": "stop_experiments", "_selected_action": [str(first.pk)]}, follow=True
        )
        first.refresh_from_db()
        assert _messages(response) == ["first: stopped"] and not first.is_active and first.ended_at

    def test_a_started_experiment_shows_its_terms_read_only(self, admin_client_, running_experiment):
        experiment = running_experiment()
        response = admin_client_.get(reverse("admin:experiments_experiment_change", args=[experiment.pk]))
        assert response.status_code == 200
        form_fields = set(response.context["adminform"].form.fields)
        assert not form_fields & {"model_a", "model_b", "traffic_split", "shadow", "is_active"}
