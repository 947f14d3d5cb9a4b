import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from feedback.models import Feedback

URL = "/api/v1/feedback/"


@pytest.fixture
def api(analyst):
    client = APIClient()
    client.force_authenticate(analyst)
    return client


@pytest.fixture
def prediction_id(api, active_model_version):
    return api.post("/api/v1/comparisons/", {"name1": "Acme LLC", "name2": "Acme Inc"}, format="json").json()["id"]


@pytest.mark.django_db
class TestFeedbackApi:
    def test_records_a_correction_and_a_confirmation(self, api, analyst, prediction_id):
        first = api.post(
            URL, {"prediction": prediction_id, "user_correction": False, "feedback_text": "same co"}, format="json"
        )
        assert first.status_code == 201, first.json()
        second = api.post(URL, {"prediction": prediction_id, "user_correction": True}, format="json")
        assert second.status_code == 201
        rows = Feedback.objects.filter(prediction_id=prediction_id).order_by("created_at")
        assert [r.user_correction for r in rows] == [False, True]  # both kept; the later one supersedes
        assert rows[0].feedback_text == "same co" and rows[0].user == analyst
        listed = api.get(URL, {"prediction": prediction_id}).json()
        assert listed["count"] == 2 and listed["results"][0]["id"] == second.json()["id"]

    @pytest.mark.parametrize(
        "payload, field",
        [
            ({"user_correction": True}, "prediction"),
            ({"prediction": "00000000-0000-0000-0000-000000000000", "user_correction": True}, "prediction"),
            ({"prediction": "not-a-uuid", "user_correction": True}, "prediction"),
            ({"prediction": "PID"}, "user_correction"),
            ({"prediction": "PID", "user_correction": "maybe"}, "user_correction"),
            ({"prediction": "PID", "user_correction": True, "confidence_score": 2}, "confidence_score"),
        ],
    )
    def test_bad_input_is_400_naming_the_field(self, api, prediction_id, payload, field):
        payload = {k: (prediction_id if v == "PID" else v) for k, v in payload.items()}
        response = api.post(URL, payload, format="json")
        assert response.status_code == 400
        assert field in response.json()["errors"]
        assert Feedback.objects.count() == 0

    def test_malformed_json(self, api, prediction_id):
        response = api.post(URL, "{nope", content_type="application/json")
        assert response.status_code == 400 and Feedback.objects.count() == 0

    def test_roles(self, manager, prediction_id):
        client = APIClient()
        assert (
            client.post(URL, {"prediction": prediction_id, "user_correction": True}, format="json").status_code == 401
        )
        client.force_authenticate(manager)
        assert (
            client.post(URL, {"prediction": prediction_id, "user_correction": True}, format="json").status_code == 403
        )
        assert Feedback.objects.count() == 0
        assert client.get(URL).status_code == 200  # managers read feedback for analytics

    def test_list_filters(self, api, analyst, manager, prediction_id):
        api.post(URL, {"prediction": prediction_id, "user_correction": True}, format="json")
        assert api.get(URL, {"processed": "false", "user": analyst.username}).json()["count"] == 1
        assert api.get(URL, {"processed": "yes"}).json()["count"] == 0
        assert api.get(URL, {"user": manager.username}).json()["count"] == 0
        assert api.get(URL, {"prediction": "00000000-0000-0000-0000-000000000000"}).json()["count"] == 0
        assert api.get(URL, {"date_from": "2000-01-01"}).json()["count"] == 1

    @pytest.mark.parametrize(
        "query, field",
        [
            ({"processed": "maybe"}, "processed"),
            ({"prediction": "p1"}, "prediction"),
            ({"date_to": "today"}, "date_to"),
        ],
    )
    def test_bad_filter_is_400_naming_the_field(self, api, query, field):
        response = api.get(URL, query)
        assert response.status_code == 400 and set(response.json()["errors"]) == {field}


def test_schema_documents_the_list_filters():
    listing = SchemaGenerator().get_schema(request=None, public=True)["paths"][URL]["get"]
    parameters = {p["name"]: p["schema"] for p in listing["parameters"]}
    assert parameters["processed"]["type"] == "boolean" and parameters["prediction"]["format"] == "uuid"
    assert {"user", "date_from", "date_to", "limit", "offset"} <= set(parameters)
