import pytest

from experiments.services import experiment_start, experiment_stop
from legalname.common.exceptions import ApplicationError
from tests.experiments.factories import ExperimentFactory


@pytest.mark.django_db
class TestExperimentStop:
    def test_stops_routing_and_frees_the_model_name(self):
        experiment = experiment_stop(experiment=experiment_start(experiment=ExperimentFactory()))
        experiment.refresh_from_db()
        assert not experiment.is_active and experiment.ended_at >= experiment.started_at
        assert experiment_start(experiment=ExperimentFactory()).is_active  # the next one may start

    @pytest.mark.parametrize("state, message", [("created", "has not started"), ("stopped", "already stopped")])
    def test_an_experiment_not_running_is_refused_and_unchanged(self, state, message):
        experiment = ExperimentFactory()
        if state == "stopped":
            experiment = experiment_stop(experiment=experiment_start(experiment=experiment))
        ended_at = experiment.ended_at
        with pytest.raises(ApplicationError, match=message) as caught:
            experiment_stop(experiment=experiment)
        assert caught.value.status_code == 409
        experiment.refresh_from_db()
        assert experiment.ended_at == ended_at
