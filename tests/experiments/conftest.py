from tests.experiments.fixtures import arms, running_experiment

__all__ = ["arms", "running_experiment"]
