"""Analyst pages: compare, batch upload and progress, history. Views check the role, call a service or selector,
render; the forms validate."""

from __future__ import annotations

import csv
from collections import Counter
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import AuthenticatedHttpRequest, analyst_required
from accounts.roles import home_url_name
from comparisons.engine.explain import Reason, ReasonKind, verdict_label
from comparisons.forms import BatchUploadForm, CompareForm
from comparisons.models import BatchJob
from comparisons.selectors import (
    batch_job_get,
    batch_job_list,
    batch_job_result_list,
    batch_job_verdict_totals,
    prediction_get,
)
from comparisons.services import batch_job_create, prediction_create
from legalname.common.exceptions import ApplicationError

BATCH_PREVIEW_ROWS = 200


# --- side-by-side difference of the two normalised names -------------------------------------------------------

# Reason kind (comparisons.engine.explain.ReasonKind) -> the colour class of the words it names. Kinds that name
# no words (identical, word order, transliteration...) colour nothing.
_HIGHLIGHT = {
    ReasonKind.LEGAL_FORM_CHANGED: "form",
    ReasonKind.LEGAL_FORM_ADDED: "form",
    ReasonKind.LEGAL_FORM_SPELLING: "form",
    ReasonKind.NUMBER_CHANGED: "number",
    ReasonKind.NUMBER_ADDED: "number",
    ReasonKind.QUALIFIER_CHANGED: "qualifier",
    ReasonKind.QUALIFIER_ADDED: "qualifier",
    ReasonKind.PLACE_CHANGED: "qualifier",
    ReasonKind.PLACE_ADDED: "qualifier",
    ReasonKind.ABBREVIATION: "spelling",
    ReasonKind.TYPO: "spelling",
    ReasonKind.ACRONYM: "spelling",
    ReasonKind.MINOR_WORDS: "minor",
    ReasonKind.WORD_CHANGED: "word",
    ReasonKind.WORD_ADDED: "word",
}


def name_diff(normalized1: str, normalized2: str, reasons: list[dict]) -> tuple[list[dict], list[dict]]:
    """Each side's words with ``kind`` = same | form | number | qualifier | spelling | minor | word, taken from the
    structured reasons (the words each reason names on each side); a word in both names is ``same``, and a word
    that no reason names is ``word``."""
    parsed = [Reason.from_dict(r) for r in reasons or []]

    def side(text: str, other: str, named_by: str) -> list[dict]:
        named: dict[str, str] = {}
        for reason in parsed:
            for word in getattr(reason, named_by):
                named.setdefault(word, _HIGHLIGHT.get(reason.kind, "word"))
        available = Counter(other.split())
        out = []
        for token in text.split():
            if available[token] > 0:
                available[token] -= 1
                out.append({"text": token, "kind": "same"})
            else:
                out.append({"text": token, "kind": named.get(token, "word")})
        return out

    return side(normalized1, normalized2, "left"), side(normalized2, normalized1, "right")


# --- pages ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role's start page, which is also where a login lands (LOGIN_REDIRECT_URL is /): admins the admin,
    managers their overview, analysts Compare."""
    url_name = home_url_name(request.user)
    if url_name is None:
        raise PermissionDenied("Your account has no role yet; ask an admin to give you one.")
    return redirect(url_name)


def _compare_context(prediction) -> dict:
    left, right = name_diff(prediction.normalized1, prediction.normalized2, prediction.reasons)
    return {
        "prediction": prediction,
        "diff_left": left,
        "diff_right": right,
    }


@analyst_required
@require_http_methods(["GET", "POST"])
def compare(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CompareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            prediction = prediction_create(
                user=request.user, name1=form.cleaned_data["name1"], name2=form.cleaned_data["name2"], source="web"
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return render(request, "comparisons/compare.html", {"form": form}, status=exc.status_code)
        return redirect("comparisons:detail", prediction_id=prediction.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "comparisons/compare.html", {"form": form}, status=status)


@analyst_required
@require_GET
def compare_detail(request: AuthenticatedHttpRequest, prediction_id) -> HttpResponse:
    prediction = prediction_get(prediction_id=prediction_id)
    if prediction is None:
        raise Http404("No such prediction.")
    form = CompareForm(initial={"name1": prediction.name1, "name2": prediction.name2})
    return render(request, "comparisons/compare.html", {"form": form, **_compare_context(prediction)})


@analyst_required
@require_http_methods(["GET", "POST"])
def batch_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BatchUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = batch_job_create(user=request.user, pairs=form.pairs, filename=form.cleaned_data["file"].name)
        messages.success(request, f"{job.total:,} pairs queued.")
        return redirect("comparisons:batch_detail", job_id=job.pk)
    jobs = batch_job_list(user=request.user)[:20]
    status = 400 if request.method == "POST" else 200
    return render(request, "comparisons/batch.html", {"form": form, "jobs": jobs}, status=status)


def _own_job(request: AuthenticatedHttpRequest, job_id: UUID) -> BatchJob:
    job = batch_job_get(job_id=job_id, user=request.user)
    if job is None:
        raise Http404("No such batch.")
    return job


@analyst_required
@require_GET
def batch_detail(request: AuthenticatedHttpRequest, job_id) -> HttpResponse:
    job = _own_job(request, job_id)
    done = job.status == job.Status.DONE
    rows = batch_job_result_list(job_id=job.pk, limit=BATCH_PREVIEW_ROWS) if done else []
    totals = batch_job_verdict_totals(job_id=job.pk) if done else None
    return render(
        request,
        "comparisons/batch_detail.html",
        {"job": job, "rows": rows, "totals": totals, "preview_rows": BATCH_PREVIEW_ROWS},
    )


@analyst_required
@require_GET
def batch_status(request: AuthenticatedHttpRequest, job_id) -> JsonResponse:
    job = _own_job(request, job_id)
    return JsonResponse(
        {
            "id": str(job.pk),
            "status": job.status,
            "total": job.total,
            "done": job.done,
            "percent": job.percent,
            "error": job.error,
            "finished": job.finished,
        }
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value: str) -> str:
    # Spreadsheets run cells that start with = + - @ as formulas; names come from uploads, so defuse them.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@analyst_required
@require_GET
def batch_download(request: AuthenticatedHttpRequest, job_id) -> StreamingHttpResponse:
    job = _own_job(request, job_id)
    if job.status != job.Status.DONE:
        raise Http404("The batch is not finished.")
    rows = batch_job_result_list(job_id=job.pk)
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(
            ["name1", "name2", "reference", "verdict", "probability_material", "confidence", "reasons", "reason_kinds"]
        )
        for row in rows:
            v = row["verdict"]
            yield writer.writerow(
                [
                    _csv_cell(row["name1"]),
                    _csv_cell(row["name2"]),
                    _csv_cell(row.get("reference", "")),
                    verdict_label(v["material"]) if v else "",
                    f"{v['probability_material']:.4f}" if v else "",
                    f"{v['confidence']:.4f}" if v else "",
                    "; ".join(r["text"] for r in v["reasons"]) if v else "",
                    " ".join(r["kind"] for r in v["reasons"]) if v else "",
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="legalname-batch-{job.pk}.csv"'
    return response
