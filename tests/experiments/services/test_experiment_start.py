import threading

import pytest
from django.db import connection, connections

from experiments.services import experiment_start, experiment_stop
from legalname.common.exceptions import ApplicationError
from models_registry.models import ModelVersion
from tests.experiments.factories import ExperimentFactory
from tests.models_registry.factories import ModelVersionFactory


@pytest.mark.django_db
class TestExperimentStart:
    def test_starts_routing(self):
        experiment = experiment_start(experiment=ExperimentFactory())
        experiment.refresh_from_db()
        assert experiment.is_active and experiment.started_at is not None and experiment.status == "running"

    def test_a_running_experiment_is_refused_and_unchanged(self):
        experiment = experiment_start(experiment=ExperimentFactory())
        started_at = experiment.started_at
        with pytest.raises(ApplicationError, match="already running") as caught:
            experiment_start(experiment=experiment)
        assert caught.value.status_code == 409
        experiment.refresh_from_db()
        assert experiment.started_at == started_at

    def test_a_stopped_experiment_is_never_restarted(self):
        experiment = experiment_stop(experiment=experiment_start(experiment=ExperimentFactory()))
        with pytest.raises(ApplicationError, match="was stopped"):
            experiment_start(experiment=experiment)
        experiment.refresh_from_db()
        assert not experiment.is_active and experiment.status == "stopped"

    def test_a_second_experiment_on_the_same_model_name_is_refused(self):
        running = experiment_start(experiment=ExperimentFactory())
        second = ExperimentFactory()
        with pytest.raises(ApplicationError) as caught:
            experiment_start(experiment=second)
        assert caught.value.status_code == 409 and "model_name" in caught.value.extra
        assert running.name in caught.value.message
        second.refresh_from_db()
        assert not second.is_active and second.started_at is None

    def test_another_model_name_may_run_beside_it(self):
        experiment_start(experiment=ExperimentFactory())
        other = ExperimentFactory(
            model_a=ModelVersionFactory(name="other-model"), model_b=ModelVersionFactory(name="other-model")
        )
        assert experiment_start(experiment=other).is_active

    def test_a_version_that_failed_since_creation_is_refused(self):
        experiment = ExperimentFactory()
        ModelVersion.objects.filter(pk=experiment.model_b_id).update(status=ModelVersion.Status.FAILED)
        with pytest.raises(Exception, match="cannot serve an arm"):
            experiment_start(experiment=experiment)
        experiment.refresh_from_db()
        assert not experiment.is_active


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_two_starts_racing_leave_one_running():
    """Two experiments on one model name started at the same instant from two connections: the partial unique
    constraint lets exactly one run; the other gets the 409 error."""
    first, second = ExperimentFactory(), ExperimentFactory()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def start(experiment):
        try:
            barrier.wait()
            experiment_start(experiment=experiment)
            outcomes.append("started")
        except ApplicationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start, args=(e,)) for e in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "started"]
