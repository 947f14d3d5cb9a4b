import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from comparisons.models import Prediction

URL = "/api/v1/comparisons/"
BATCH_URL = "/api/v1/comparisons/batch/"


@pytest.fixture
def api(analyst):
    client = APIClient()
    client.force_authenticate(analyst)
    return client


@pytest.mark.django_db
class TestComparisonCreateApi:
    def test_creates_and_returns_the_verdict(self, api, analyst, active_model_version):
        response = api.post(URL, {"name1": "Acme LLC", "name2": "Acme Inc"}, format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert set(body) >= {
            "id",
            "name1",
            "name2",
            "material",
            "probability_material",
            "confidence",
            "reasons",
            "normalized",
            "model_version",
            "created_at",
        }
        assert 0.5 <= body["confidence"] <= 1 and 0 <= body["probability_material"] <= 1
        row = Prediction.objects.get(pk=body["id"])
        assert row.user == analyst and row.source == "api" and row.model_version == active_model_version
        assert row.material == body["material"] and row.latency_ms > 0
        assert body["model_version"]["id"] == str(active_model_version.pk)
        assert body["model_version"]["threshold"] == round(active_model_version.threshold, 4)
        assert body["confidence_level"] in ("borderline", "likely", "confident", "near certain")
        # reasons are objects (kind, the words of each side, a sentence), exactly as stored
        assert body["reasons"] == row.reasons
        form = next(r for r in body["reasons"] if r["kind"] == "legal_form_changed")
        assert form["left"] == ["llc"] and form["right"] == ["inc"] and form["text"].startswith("legal form differs")

    def test_names_a_model(self, api, active_model_version):
        response = api.post(URL, {"name1": "A", "name2": "B", "model": "no-such-model"}, format="json")
        assert response.status_code == 400
        assert "model" in response.json()["errors"]
        response = api.post(
            URL, {"name1": "A Ltd", "name2": "B Ltd", "model": active_model_version.name}, format="json"
        )
        assert response.status_code == 201

    @pytest.mark.parametrize(
        "payload, field, fragment",
        [
            ({"name2": "Acme"}, "name1", "required"),
            ({"name1": "", "name2": "Acme"}, "name1", "blank"),
            ({"name1": "   ", "name2": "Acme"}, "name1", "blank"),
            ({"name1": "A" * 501, "name2": "Acme"}, "name1", "500"),
            ({"name1": "Acme\x07Inc", "name2": "Acme"}, "name1", "control"),
            ({"name1": "Acme\u200bInc", "name2": "Acme"}, "name1", "invisible"),
            ({"name1": "Acme\u202eInc", "name2": "Acme"}, "name1", "invisible"),
            ({"name1": "...", "name2": "---"}, "name1", "no letter or digit"),
            ({"name1": "Acme", "name2": 12345}, "name2", "string"),
            ({"name1": "Acme", "name2": None}, "name2", "null"),
            ({"name1": ["Acme"], "name2": "Acme"}, "name1", "string"),
        ],
    )
    def test_bad_input_is_400_naming_the_field_and_nothing_is_written(
        self, api, active_model_version, payload, field, fragment
    ):
        response = api.post(URL, payload, format="json")
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert field in errors, errors
        assert fragment in " ".join(errors[field]).lower()
        assert Prediction.objects.count() == 0

    def test_malformed_json_is_400(self, api, active_model_version):
        response = api.post(URL, '{"name1": "Acme", ', content_type="application/json")
        assert response.status_code == 400
        assert "JSON" in response.json()["detail"]
        assert Prediction.objects.count() == 0

    def test_no_credentials_is_401(self, active_model_version):
        response = APIClient().post(URL, {"name1": "A", "name2": "B"}, format="json")
        assert response.status_code == 401
        assert Prediction.objects.count() == 0

    def test_manager_is_403(self, manager, active_model_version):
        client = APIClient()
        client.force_authenticate(manager)
        assert client.post(URL, {"name1": "A", "name2": "B"}, format="json").status_code == 403
        assert Prediction.objects.count() == 0

    def test_admin_may_compare(self, admin_user, active_model_version):
        client = APIClient()
        client.force_authenticate(admin_user)
        assert client.post(URL, {"name1": "A", "name2": "B"}, format="json").status_code == 201

    def test_service_account_token(self, analyst, active_model_version):
        token = Token.objects.create(user=analyst)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert (
            client.post(URL, {"name1": "Acme AG", "name2": "ACME Aktiengesellschaft"}, format="json").status_code == 201
        )

    def test_jwt(self, analyst, active_model_version):
        client = APIClient()
        tokens = client.post(
            "/api/v1/auth/token/", {"username": "analyst1", "password": "pw-for-tests-123"}, format="json"
        )
        assert tokens.status_code == 200
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.json()['access']}")
        assert client.post(URL, {"name1": "A", "name2": "B"}, format="json").status_code == 201
        client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
        assert client.post(URL, {"name1": "A", "name2": "B"}, format="json").status_code == 401

    def test_no_active_model_is_503_not_500(self, api):
        response = api.post(URL, {"name1": "A", "name2": "B"}, format="json")
        assert response.status_code == 503
        assert "model" in response.json()["detail"].lower()


@pytest.mark.django_db
class TestComparisonBatchCreateApi:
    def test_scores_in_input_order_with_references(self, api, active_model_version, django_assert_max_num_queries):
        pairs = [{"name1": f"Fund {i}", "name2": f"Fund {i + 1}", "reference": f"r{i}"} for i in range(300)]
        # the running-experiment lookup, and SQLite's bound on variables per statement splitting the bulk insert
        # into batches of ~39 rows (one INSERT on PostgreSQL): a constant for a given batch size, never one per row
        with django_assert_max_num_queries(14):
            response = api.post(BATCH_URL, {"pairs": pairs}, format="json")
        assert response.status_code == 201, response.json()
        results = response.json()["results"]
        assert [r["reference"] for r in results] == [p["reference"] for p in pairs]
        assert [r["name1"] for r in results] == [p["name1"] for p in pairs]
        assert Prediction.objects.filter(source="api").count() == 300

    def test_oversized_body_is_413_before_parsing(self, api, active_model_version, settings):
        settings.LEGALNAME_API_MAX_BODY_BYTES = 10_000
        pairs = [{"name1": "A" * 400, "name2": "B" * 400}] * 20
        response = api.post(BATCH_URL, {"pairs": pairs}, format="json")
        assert response.status_code == 413 and "limit" in response.json()["detail"]
        assert Prediction.objects.count() == 0

    def test_over_the_limit_is_400_and_nothing_is_written(self, api, active_model_version):
        pairs = [{"name1": "A", "name2": "B"}] * 1001
        response = api.post(BATCH_URL, {"pairs": pairs}, format="json")
        assert response.status_code == 400
        assert "pairs" in response.json()["errors"]
        assert Prediction.objects.count() == 0

    @pytest.mark.parametrize("reference, fragment", [(12, "string"), ("r\x00", "control"), ("r" * 201, "200")])
    def test_bad_reference_is_400(self, api, active_model_version, reference, fragment):
        response = api.post(BATCH_URL, {"pairs": [{"name1": "A", "name2": "B", "reference": reference}]}, format="json")
        assert response.status_code == 400
        assert fragment in str(response.json()["errors"]["pairs"][0]["reference"]).lower()
        assert Prediction.objects.count() == 0

    def test_one_bad_pair_rejects_the_whole_batch_naming_it(self, api, active_model_version):
        pairs = [{"name1": "A", "name2": "B"}, {"name1": "A", "name2": ""}]
        response = api.post(BATCH_URL, {"pairs": pairs}, format="json")
        assert response.status_code == 400
        errors = response.json()["errors"]["pairs"]
        assert errors[0] == {} and "name2" in errors[1]
        assert Prediction.objects.count() == 0

    @pytest.mark.parametrize("payload", [{}, {"pairs": []}, {"pairs": "A,B"}])
    def test_missing_or_empty_pairs(self, api, active_model_version, payload):
        response = api.post(BATCH_URL, payload, format="json")
        assert response.status_code == 400
        assert "pairs" in response.json()["errors"]


@pytest.mark.django_db
class TestPredictionApis:
    def _make(self, api, n=3):
        return [
            api.post(URL, {"name1": f"Acme {i} Ltd", "name2": f"Acme {i} Limited"}, format="json").json()
            for i in range(n)
        ]

    def test_list_filters_and_paginates(self, api, active_model_version, django_assert_max_num_queries):
        made = self._make(api, 3)
        with django_assert_max_num_queries(6):
            response = api.get("/api/v1/predictions/", {"limit": 2})
        body = response.json()
        assert response.status_code == 200 and body["count"] == 3 and len(body["results"]) == 2
        assert api.get("/api/v1/predictions/", {"reviewed": "true"}).json()["count"] == 0
        api.post("/api/v1/feedback/", {"prediction": made[0]["id"], "user_correction": True}, format="json")
        reviewed = api.get("/api/v1/predictions/", {"reviewed": "true"}).json()
        assert [r["id"] for r in reviewed["results"]] == [made[0]["id"]]
        assert api.get("/api/v1/predictions/", {"reviewed": "false"}).json()["count"] == 2
        for spelling in ("0", "no", "off", "False"):  # every spelling DRF accepts filters the same way
            assert api.get("/api/v1/predictions/", {"reviewed": spelling}).json()["count"] == 2
        material = sum(1 for m in made if m["material"])
        assert api.get("/api/v1/predictions/", {"material": "1"}).json()["count"] == material
        assert api.get("/api/v1/predictions/", {"material": "false"}).json()["count"] == 3 - material
        assert api.get("/api/v1/predictions/", {"user": "nobody"}).json()["count"] == 0
        assert api.get("/api/v1/predictions/", {"model_version": str(active_model_version.pk)}).json()["count"] == 3
        assert api.get("/api/v1/predictions/", {"date_from": "2000-01-01"}).json()["count"] == 3
        assert api.get("/api/v1/predictions/", {"date_to": "2000-01-01"}).json()["count"] == 0

    @pytest.mark.parametrize(
        "query, field",
        [
            ({"date_from": "yesterday"}, "date_from"),
            ({"material": "maybe"}, "material"),
            ({"reviewed": "2"}, "reviewed"),
            ({"source": "fax"}, "source"),
            ({"model_version": "v3"}, "model_version"),
            ({"created_after": "soon"}, "created_after"),
        ],
    )
    def test_bad_filter_is_400_naming_the_field(self, api, active_model_version, query, field):
        response = api.get("/api/v1/predictions/", query)
        assert response.status_code == 400 and set(response.json()["errors"]) == {field}

    def test_schema_documents_the_filters_with_their_types(self):
        listing = SchemaGenerator().get_schema(request=None, public=True)["paths"]["/api/v1/predictions/"]["get"]
        parameters = {p["name"]: p for p in listing["parameters"]}
        assert set(parameters) >= {
            "created_after",
            "created_before",
            "date_from",
            "date_to",
            "material",
            "model_version",
            "user",
            "source",
            "reviewed",
            "limit",
            "offset",
        }
        assert parameters["material"]["schema"]["type"] == "boolean" and parameters["material"]["description"]
        assert sorted(parameters["source"]["schema"]["enum"]) == ["api", "batch", "web"]
        assert parameters["model_version"]["schema"]["format"] == "uuid"

    def test_detail_and_404(self, api, active_model_version):
        made = self._make(api, 1)[0]
        assert api.get(f"/api/v1/predictions/{made['id']}/").json()["id"] == made["id"]
        missing = api.get("/api/v1/predictions/00000000-0000-0000-0000-000000000000/")
        assert missing.status_code == 404 and "detail" in missing.json()
        malformed = api.get("/api/v1/predictions/not-a-uuid/")
        assert malformed.status_code == 404 and malformed.json()["detail"] == "Not found."

    def test_manager_can_read_but_anonymous_cannot(self, api, manager, active_model_version):
        self._make(api, 1)
        client = APIClient()
        assert client.get("/api/v1/predictions/").status_code == 401
        client.force_authenticate(manager)
        assert client.get("/api/v1/predictions/").json()["count"] == 1
