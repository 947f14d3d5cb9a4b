import os

# One OpenMP thread per test process: the suite runs one process per core (pytest-xdist), and trainings in two
# processes each spreading over every core slowed each other down (measured: 90 s of CPU against 45 s for the same
# file). Set before scikit-learn and numpy are imported.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest
from django.contrib.auth.models import Group

from accounts.services import roles_sync
from comparisons.engine import Comparator
from comparisons.engine.datagen import generate_pairs
from models_registry.serving import model_server
from tests.models_registry.factories import ModelVersionFactory
from tests.users import make_user


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Roles as the data migration makes them, even in a reused test database that a transactional test flushed."""
    with django_db_blocker.unblock():
        roles_sync()


@pytest.fixture
def analyst(db):
    return make_user("analyst1", "analyst")


@pytest.fixture
def manager(db):
    return make_user("manager1", "manager")


@pytest.fixture
def admin_user(db):
    return make_user("admin1", "admin")


@pytest.fixture
def model_version(db):
    return ModelVersionFactory()


@pytest.fixture
def roles(db):
    return {g.name: g for g in Group.objects.all()}


@pytest.fixture
def mlflow_store(tmp_path, settings):
    """A real MLflow store (SQLite + artifact folder) in a temporary folder."""
    settings.MLFLOW_TRACKING_URI = f"sqlite:///{tmp_path / 'mlflow.db'}"
    settings.MLFLOW_ARTIFACT_ROOT = str(tmp_path / "mlartifacts")
    settings.MODELS_DIR = tmp_path / "models"
    return tmp_path


@pytest.fixture(scope="session")
def small_comparator_path(tmp_path_factory):
    """A real comparator trained once per session on a few thousand generated pairs, saved to disk."""
    generated = generate_pairs(n=4000, seed=7)
    comparator = Comparator.train([(a, b) for a, b, _ in generated], [y for _, _, y in generated], random_state=7)
    path = tmp_path_factory.mktemp("models") / "small.joblib"
    comparator.save(path)
    return path


@pytest.fixture
def active_model_version(db, small_comparator_path):
    model_server.reset()
    version = ModelVersionFactory(artifact_path=str(small_comparator_path), is_active=True)
    yield version
    model_server.reset()
