"""Analyst pages: compare, batch upload and progress, history. Views check the role, call a service or selector,
render; the forms validate."""

from __future__ import annotations

import csv
import re
from collections import Counter

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import analyst_required
from accounts.roles import ANALYST, has_role
from comparisons.forms import BatchUploadForm, CompareForm, HistoryFilter
from comparisons.selectors import (
    batch_job_get,
    batch_job_list,
    batch_job_result_list,
    prediction_get,
    prediction_history_list,
)
from comparisons.services import batch_job_create, prediction_create
from legalname.common.exceptions import ApplicationError

BATCH_PREVIEW_ROWS = 200
HISTORY_PAGE_SIZE = 50


# --- side-by-side difference of the two normalised names -------------------------------------------------------

_NUMBER = re.compile(r"^(?:\d+(?:st|nd|rd|th)?|[ivxlc]+|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)$")
_LEGAL_FORMS = {
    "llc", "inc", "ltd", "limited", "plc", "corp", "corporation", "co", "company", "gmbh", "ag", "sa", "sas", "sarl",
    "bv", "nv", "lp", "llp", "spa", "srl", "oy", "ab", "as", "asa", "kk", "pte", "pty", "bhd", "sdn", "kg", "se",
    "ooo", "oao", "zao", "pao", "sro", "sl", "incorporated", "lda", "ltda", "jsc", "pjsc", "ojsc", "cjsc", "kft", "zrt",
}
# reason heading (as the engine writes it) -> token colour; first match wins
_KINDS = (("form", "form"), ("number", "number"), ("ordinal", "number"), ("qualifier", "qualifier"),
          ("place", "qualifier"), ("country", "qualifier"), ("abbreviation", "spelling"), ("spelling", "spelling"),
          ("acronym", "spelling"), ("word", "word"))


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", (text or "").lower())


def _reason_tokens(reasons: list[str]) -> dict[str, str]:
    """Tokens named by the reasons ("legal form differs: LLC vs Inc") and the kind of difference they show."""
    kinds: dict[str, str] = {}
    for reason in reasons or []:
        head, _, detail = str(reason).partition(":")
        kind = next((k for word, k in _KINDS if word in head.lower()), None)
        if kind:
            for token in _tokens(detail):
                if token not in ("vs", "different", "kind", "of", "entity"):
                    kinds.setdefault(token, kind)
    return kinds


def name_diff(normalized1: str, normalized2: str, reasons: list[str]) -> tuple[list[dict], list[dict]]:
    """Token-level difference: each side's tokens with ``kind`` = same | form | number | qualifier | spelling | word
    (spelling: an abbreviation or a small typo, which the engine treats as the same word)."""
    named = _reason_tokens(reasons)
    left, right = _tokens(normalized1), _tokens(normalized2)

    def side(tokens: list[str], other: list[str]) -> list[dict]:
        available = Counter(other)
        out = []
        for token in tokens:
            if available[token] > 0:
                available[token] -= 1
                kind = "same"
            elif token in named:
                kind = named[token]
            elif token in _LEGAL_FORMS:
                kind = "form"
            elif _NUMBER.match(token):
                kind = "number"
            else:
                kind = "word"
            out.append({"text": token, "kind": kind})
        return out

    return side(left, right), side(right, left)


# --- pages ---------------------------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and not has_role(request.user, ANALYST) and request.user.is_staff:
        return redirect("admin:index")
    return redirect("comparisons:create")


def _compare_context(prediction) -> dict:
    left, right = name_diff(prediction.normalized1, prediction.normalized2, prediction.reasons)
    return {"prediction": prediction, "diff_left": left, "diff_right": right,
            "confidence_pct": round(prediction.confidence * 100), "probability_pct": round(prediction.probability_material * 100)}


@analyst_required
@require_http_methods(["GET", "POST"])
def compare(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            prediction = prediction_create(user=request.user, name1=form.cleaned_data["name1"],
                                           name2=form.cleaned_data["name2"], source="web")
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return render(request, "comparisons/compare.html", {"form": form}, status=exc.status_code)
        return redirect("comparisons:detail", prediction_id=prediction.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "comparisons/compare.html", {"form": form}, status=status)


@analyst_required
@require_GET
def compare_detail(request: HttpRequest, prediction_id) -> HttpResponse:
    prediction = prediction_get(prediction_id=prediction_id)
    if prediction is None:
        raise Http404("No such prediction.")
    form = CompareForm(initial={"name1": prediction.name1, "name2": prediction.name2})
    return render(request, "comparisons/compare.html", {"form": form, **_compare_context(prediction)})


@analyst_required
@require_http_methods(["GET", "POST"])
def batch_create(request: HttpRequest) -> HttpResponse:
    form = BatchUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = batch_job_create(user=request.user, pairs=form.pairs, filename=form.cleaned_data["file"].name)
        messages.success(request, f"{job.total:,} pairs queued.")
        return redirect("comparisons:batch_detail", job_id=job.pk)
    jobs = batch_job_list(user=request.user)[:20]
    status = 400 if request.method == "POST" else 200
    return render(request, "comparisons/batch.html", {"form": form, "jobs": jobs}, status=status)


def _own_job(request: HttpRequest, job_id):
    job = batch_job_get(job_id=job_id, user=request.user)
    if job is None:
        raise Http404("No such batch.")
    return job


@analyst_required
@require_GET
def batch_detail(request: HttpRequest, job_id) -> HttpResponse:
    job = _own_job(request, job_id)
    rows = batch_job_result_list(job_id=job.pk, limit=BATCH_PREVIEW_ROWS) if job.status == job.Status.DONE else []
    return render(request, "comparisons/batch_detail.html", {"job": job, "rows": rows, "preview_rows": BATCH_PREVIEW_ROWS})


@analyst_required
@require_GET
def batch_status(request: HttpRequest, job_id) -> JsonResponse:
    job = _own_job(request, job_id)
    return JsonResponse({"id": str(job.pk), "status": job.status, "total": job.total, "done": job.done,
                         "percent": job.percent, "error": job.error, "finished": job.finished})


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value: str) -> str:
    # Spreadsheets run cells that start with = + - @ as formulas; names come from uploads, so defuse them.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@analyst_required
@require_GET
def batch_download(request: HttpRequest, job_id) -> StreamingHttpResponse:
    job = _own_job(request, job_id)
    if job.status != job.Status.DONE:
        raise Http404("The batch is not finished.")
    rows = batch_job_result_list(job_id=job.pk)
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(["name1", "name2", "reference", "verdict", "probability_material", "confidence", "reasons"])
        for row in rows:
            v = row["verdict"]
            yield writer.writerow([
                _csv_cell(row["name1"]), _csv_cell(row["name2"]), _csv_cell(row.get("reference", "")),
                ("MATERIAL" if v["material"] else "IMMATERIAL") if v else "",
                f"{v['probability_material']:.4f}" if v else "", f"{v['confidence']:.4f}" if v else "",
                "; ".join(v["reasons"]) if v else "",
            ])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="legalname-batch-{job.pk}.csv"'
    return response


@analyst_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    filterset = HistoryFilter(request.GET, queryset=prediction_history_list(user=request.user))
    page = Paginator(filterset.qs, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "comparisons/history.html",
                  {"filter": filterset, "page": page, "query": query.urlencode()})
