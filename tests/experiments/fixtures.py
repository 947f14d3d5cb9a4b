"""Fixtures shared by the experiments and comparisons tests (imported by both conftest files)."""

import pytest

from experiments.services import experiment_create, experiment_start
from tests.models_registry.factories import ModelVersionFactory


@pytest.fixture
def arms(active_model_version, small_comparator_path):
    """The active version (arm A) and a challenger of the same model name (arm B), both loadable."""
    challenger = ModelVersionFactory(artifact_path=str(small_comparator_path))
    return active_model_version, challenger


@pytest.fixture
def running_experiment(arms):
    """Make and start an experiment between the two arms (keyword arguments go to experiment_create)."""

    def make(**kwargs):
        a, b = arms
        experiment = experiment_create(name=kwargs.pop("name", "a-vs-b"), model_a=a, model_b=b, **kwargs)
        return experiment_start(experiment=experiment)

    return make
