import pytest
from django.core.exceptions import ValidationError

from models_registry.models import ModelDeployment
from models_registry.selectors import (
    model_version_active_get,
    model_version_active_history,
    model_version_list,
    model_version_rollback_target_get,
)
from tests.models_registry.factories import ModelVersionFactory


@pytest.mark.django_db
class TestModelVersionList:
    def test_filters(self):
        active = ModelVersionFactory(name="uk-policy", is_active=True)
        ModelVersionFactory(name="uk-policy", status="retired")
        ModelVersionFactory()
        assert list(model_version_list(filters={"name": "uk-policy", "is_active": True})) == [active]
        assert model_version_list(filters={"status": "retired"}).count() == 1
        assert model_version_active_get(name="uk-policy") == active
        assert model_version_active_get() is None

    def test_a_bad_filter_raises_naming_it(self):
        with pytest.raises(ValidationError) as raised:
            model_version_list(filters={"status": "gone"})
        assert set(raised.value.message_dict) == {"status"}


def _switch(action, from_version, to_version):
    return ModelDeployment.objects.create(
        model_name="legal-name-comparator", action=action, from_version=from_version, to_version=to_version
    )


@pytest.mark.django_db
class TestRollbackTarget:
    """The history replayed as a stack, from rows alone (the services' tests switch real models)."""

    def test_activations_push_and_rollbacks_pop(self):
        a, b, c = (ModelVersionFactory() for _ in range(3))
        _switch("activate", None, a), _switch("activate", a, b), _switch("activate", b, c)
        _switch("challenger", None, a), _switch("retire", a, None)  # neither moves the active version
        assert model_version_active_history(model_name=a.name) == [a.pk, b.pk, c.pk]
        _switch("rollback", c, b)
        assert model_version_active_history(model_name=a.name) == [a.pk, b.pk]

    def test_target_is_below_the_active_version(self):
        a, b, c = (ModelVersionFactory() for _ in range(3))
        _switch("activate", None, a), _switch("activate", a, b), _switch("promote", b, c)
        c.is_active = True
        c.save(update_fields=["is_active"])
        assert model_version_rollback_target_get(model_name=a.name) == b
        assert model_version_rollback_target_get(model_name="other") is None
