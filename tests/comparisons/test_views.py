import csv

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse

from comparisons.engine.analysis import analyze_name
from comparisons.engine.explain import explain_pair
from comparisons.models import BatchJob, Prediction
from comparisons.services import batch_job_process
from comparisons.views import name_diff
from tests.users import make_user

PAGES = ["comparisons:create", "comparisons:batch_create", "feedback:history"]


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


class TestNameDiff:
    """The side-by-side colours come from the engine's structured reasons, for the real pairs they explain."""

    @staticmethod
    def diff(a: str, b: str):
        n1, n2 = analyze_name(a).forms_text, analyze_name(b).forms_text
        reasons = [r.to_dict() for r in explain_pair(a, b)]
        left, right = name_diff(n1, n2, reasons)
        return [(t["text"], t["kind"]) for t in left], [(t["text"], t["kind"]) for t in right]

    def test_legal_forms_and_words_on_one_side(self):
        left, right = self.diff("Acme Rockets LLC", "Acme Inc")
        assert left == [("acme", "same"), ("rockets", "word"), ("llc", "form")]
        assert right == [("acme", "same"), ("inc", "form")]

    def test_numbers_and_qualifiers(self):
        left, right = self.diff("Fund II LP", "Fund III LP")
        assert ("ii", "number") in left and ("iii", "number") in right
        left, _ = self.diff("Barclays Bank plc", "Barclays plc")
        assert ("bank", "qualifier") in left

    def test_places_are_qualifiers_and_abbreviations_are_spelling(self):
        left, right = self.diff("Acme Holdngs UK Ltd", "Acme Holdings Ltd")
        assert ("uk", "qualifier") in left and ("holdngs", "spelling") in left and ("holding", "spelling") in right

    def test_a_legacy_reason_colours_nothing(self):
        left, _ = name_diff("acme llc", "acme inc", [{"kind": "legacy", "text": "legal form differs: LLC vs Inc"}])
        assert left == [{"text": "acme", "kind": "same"}, {"text": "llc", "kind": "word"}]

    def test_repeated_tokens_are_counted(self):
        left, right = name_diff("a a b", "a b", [])
        assert [t["kind"] for t in left] == ["same", "word", "same"]


@pytest.mark.django_db
class TestAccess:
    @pytest.mark.parametrize("name", PAGES + ["feedback:queue", "feedback:list"])
    def test_anonymous_goes_to_the_login_page(self, client, name):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))

    @pytest.mark.parametrize("name", PAGES + ["feedback:queue", "feedback:list"])
    def test_a_manager_is_forbidden(self, client, manager, name):
        client.force_login(manager)
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert b"analyst role" in response.content

    @pytest.mark.parametrize("name", PAGES + ["feedback:queue", "feedback:list"])
    def test_an_admin_is_an_analyst(self, client, admin_user, name):
        client.force_login(admin_user)
        assert client.get(reverse(name)).status_code == 200

    def test_login_page_renders_and_logs_in(self, client, analyst):
        assert client.get(reverse("login")).status_code == 200
        response = client.post(reverse("login"), {"username": "analyst1", "password": "pw-for-tests-123"})
        assert response.status_code == 302
        assert client.get(reverse("comparisons:home")).url == reverse("comparisons:create")

    def test_static_assets_are_local(self, analyst_client):
        html = analyst_client.get(reverse("comparisons:create")).content.decode()
        assert "/static/css/app.css" in html and "http" not in html.split("<body")[0].replace("http-equiv", "")


@pytest.mark.django_db
class TestCompare:
    def test_get_shows_the_form(self, analyst_client):
        response = analyst_client.get(reverse("comparisons:create"))
        assert response.status_code == 200 and b'name="name1"' in response.content

    def test_post_stores_a_web_prediction_and_shows_the_verdict(self, analyst_client, analyst, active_model_version):
        response = analyst_client.post(
            reverse("comparisons:create"), {"name1": "Acme LLC", "name2": "Acme Inc"}, follow=True
        )
        assert response.status_code == 200
        prediction = Prediction.objects.get()
        assert prediction.user == analyst and prediction.source == "web"
        assert prediction.model_version == active_model_version
        html = response.content.decode()
        assert prediction.verdict in html and 'data-testid="verdict"' in html
        assert 'class="meter-fill' in html and "tok tok-" in html
        assert prediction.reasons and all(isinstance(r, dict) for r in prediction.reasons)
        for reason in prediction.reasons:
            assert f'data-kind="{reason["kind"]}"' in html
        # the legal forms that differ are coloured as legal forms, from the reason's parts (no second table)
        assert '<span class="tok tok-form">llc</span>' in html and '<span class="tok tok-form">inc</span>' in html
        assert 'data-testid="confidence-help"' in html

    @pytest.mark.parametrize(
        "data",
        [
            {"name1": "", "name2": "x"},
            {"name1": "a\x01", "name2": "x"},
            {"name1": "x" * 501, "name2": "y"},
            {"name1": "x"},
        ],
    )
    def test_bad_input_is_400_and_writes_nothing(self, analyst_client, active_model_version, data):
        response = analyst_client.post(reverse("comparisons:create"), data)
        assert response.status_code == 400
        assert not Prediction.objects.exists()

    def test_without_a_model_it_says_so(self, analyst_client):
        response = analyst_client.post(reverse("comparisons:create"), {"name1": "A", "name2": "B"})
        assert response.status_code == 503 and b"No active model" in response.content

    def test_detail_of_a_missing_prediction_is_404(self, analyst_client):
        url = reverse("comparisons:detail", args=["00000000-0000-0000-0000-000000000000"])
        assert analyst_client.get(url).status_code == 404


CSV = (
    b"name1,name2,reference\nAcme LLC,Acme Inc,r1\nSiemens AG,Siemens Aktiengesellschaft,r2\nFund I LP,Fund II LP,r3\n"
)


@pytest.mark.django_db
class TestBatch:
    def _upload(self, client, data: bytes, name="pairs.csv"):
        return client.post(reverse("comparisons:batch_create"), {"file": SimpleUploadedFile(name, data, "text/csv")})

    def test_upload_creates_a_job_and_queues_it(self, analyst_client, analyst, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = self._upload(analyst_client, CSV)
        job = BatchJob.objects.get()
        assert response.status_code == 302 and response.url == reverse("comparisons:batch_detail", args=[job.pk])
        assert len(callbacks) == 1
        assert job.user == analyst and job.total == 3 and job.status == "queued"

    def test_malformed_file_names_the_row_and_writes_nothing(self, analyst_client):
        response = self._upload(analyst_client, b"name1,name2\nAcme,Acme Inc\nAcme,\n")
        assert response.status_code == 400
        assert "Row 3: name2 is empty." in response.content.decode()
        assert not BatchJob.objects.exists() and not Prediction.objects.exists()

    def test_progress_status_results_and_download(self, analyst_client, analyst, active_model_version):
        job = BatchJob.objects.create(
            user=analyst,
            filename="p.csv",
            total=3,
            pairs=[
                {"name1": "Acme LLC", "name2": "Acme Inc", "reference": "r1"},
                {"name1": "=cmd()", "name2": "Acme Inc", "reference": "r2"},
                {"name1": "Acme LLC", "name2": "Acme Inc", "reference": "r1"},
            ],
        )
        page = analyst_client.get(reverse("comparisons:batch_detail", args=[job.pk]))
        assert page.status_code == 200 and b"batch.js" in page.content and b'role="progressbar"' in page.content
        status = analyst_client.get(reverse("comparisons:batch_status", args=[job.pk])).json()
        assert status == {
            "id": str(job.pk),
            "status": "queued",
            "total": 3,
            "done": 0,
            "percent": 0,
            "error": "",
            "finished": False,
        }
        assert analyst_client.get(reverse("comparisons:batch_download", args=[job.pk])).status_code == 404

        batch_job_process(job_id=job.pk, chunk_size=2)
        status = analyst_client.get(reverse("comparisons:batch_status", args=[job.pk])).json()
        assert status["status"] == "done" and status["percent"] == 100 and status["finished"]
        page = analyst_client.get(reverse("comparisons:batch_detail", args=[job.pk])).content.decode()
        assert 'data-testid="results"' in page and "batch.js" not in page

        response = analyst_client.get(reverse("comparisons:batch_download", args=[job.pk]))
        assert response["Content-Type"].startswith("text/csv")
        lines = b"".join(response.streaming_content).decode().splitlines()
        assert lines[0] == "name1,name2,reference,verdict,probability_material,confidence,reasons,reason_kinds"
        assert len(lines) == 4
        first = next(csv.DictReader(lines))
        assert "legal_form_changed" in first["reason_kinds"].split() and "legal form differs" in first["reasons"]
        assert lines[1].startswith("Acme LLC,Acme Inc,r1,") and lines[2].startswith("'=cmd(),Acme Inc,r2,")
        assert lines[1].split(",")[3] in ("MATERIAL", "IMMATERIAL")

    def test_someone_elses_job_is_404(self, analyst_client):
        other = make_user("other", "analyst")
        job = BatchJob.objects.create(user=other, total=1, pairs=[{"name1": "a", "name2": "b", "reference": ""}])
        for name in ("comparisons:batch_detail", "comparisons:batch_status", "comparisons:batch_download"):
            assert analyst_client.get(reverse(name, args=[job.pk])).status_code == 404

    def test_failed_job_shows_its_error(self, analyst_client, analyst):
        job = BatchJob.objects.create(
            user=analyst,
            total=1,
            status="failed",
            error="ApplicationError: no model",
            pairs=[{"name1": "a", "name2": "b", "reference": ""}],
        )
        page = analyst_client.get(reverse("comparisons:batch_detail", args=[job.pk])).content.decode()
        assert "ApplicationError: no model" in page and "Download" not in page


def test_one_verdict_badge_for_every_page():
    html = Template("{% load verdicts %}{% verdict_badge True %}|{% verdict_badge False small=True %}").render(
        Context()
    )
    assert (
        html
        == '<span class="verdict material">MATERIAL</span>|<span class="verdict small immaterial">IMMATERIAL</span>'
    )
