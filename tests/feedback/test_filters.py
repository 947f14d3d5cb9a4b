import pytest
from django.core.exceptions import ValidationError

from feedback.selectors import prediction_history_list
from feedback.services import feedback_create
from tests.comparisons.factories import PredictionFactory
from tests.users import make_user


@pytest.mark.django_db
class TestHistoryFilter:
    @pytest.fixture
    def rows(self, analyst):
        return {
            "web": PredictionFactory(user=analyst, name1="Acme Widgets LLC", name2="Acme Widgets Inc", source="web"),
            "api": PredictionFactory(user=analyst, name1="Nordex SE", name2="NORDIX SE", source="api", material=False),
            "batch": PredictionFactory(user=analyst, name1="Beta GmbH", name2="Widget Beta AG", source="batch"),
        }

    def _names(self, user, **filters):
        return {p.name1 for p in prediction_history_list(user=user, filters=filters)}

    def test_q_matches_either_name_in_any_case(self, analyst, rows):
        assert self._names(analyst, q="widget") == {"Acme Widgets LLC", "Beta GmbH"}
        assert self._names(analyst, q="nordix") == {"Nordex SE"}  # only name2 matches
        assert self._names(analyst, q="  ") == {p.name1 for p in rows.values()}

    def test_source_and_the_existing_fields_combine(self, analyst, rows):
        assert self._names(analyst, source="batch") == {"Beta GmbH"}
        assert self._names(analyst, q="widget", source="web") == {"Acme Widgets LLC"}
        assert self._names(analyst, material="false") == {"Nordex SE"}
        feedback_create(prediction=rows["api"], user=analyst, user_correction=True)
        assert self._names(analyst, reviewed="true") == {"Nordex SE"}
        assert self._names(analyst, reviewed="false", date_from="2000-01-01") == {"Acme Widgets LLC", "Beta GmbH"}

    def test_only_the_analysts_own_predictions(self, analyst, rows):
        PredictionFactory(user=make_user("other", "analyst"), name1="Acme Widgets Ltd")
        assert self._names(analyst, q="acme") == {"Acme Widgets LLC"}

    @pytest.mark.parametrize(
        "query, field",
        [({"source": "fax"}, "source"), ({"material": "maybe"}, "material"), ({"date_to": "2026-13-01"}, "date_to")],
    )
    def test_a_bad_value_raises_naming_the_field(self, analyst, query, field):
        with pytest.raises(ValidationError) as raised:
            prediction_history_list(user=analyst, filters=query)
        assert field in raised.value.message_dict

    def test_the_page_filters_by_name_and_source(self, analyst, rows, client):
        client.force_login(analyst)
        html = client.get("/history/", {"q": "WIDGET", "source": "batch"}).content.decode()
        assert "Beta GmbH" in html and "Acme Widgets LLC" not in html and "Nordex SE" not in html
