import pytest

from models_registry.selectors import model_name_list, model_version_active_get, model_version_list
from tests.models_registry.factories import ModelVersionFactory


@pytest.mark.django_db
class TestModelNameList:
    def test_names_with_versions_default_first(self):
        ModelVersionFactory(name="uk-policy"), ModelVersionFactory(name="de-policy")
        ModelVersionFactory(name="legal-name-comparator"), ModelVersionFactory(name="uk-policy")
        assert model_name_list() == ["legal-name-comparator", "de-policy", "uk-policy"]


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
