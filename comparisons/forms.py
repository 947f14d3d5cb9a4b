"""Page forms. The CSV parser validates a whole upload before anything is written."""

from __future__ import annotations

import csv
import io

from django import forms
from django.core.exceptions import ValidationError

from legalname.common.validation import MAX_NAME_LENGTH, MAX_REFERENCE_LENGTH, name_problem, text_problem

BATCH_MAX_ROWS = 50_000
BATCH_MAX_BYTES = 64 * 1024 * 1024
BATCH_MAX_ERRORS = 10  # a file with many bad rows lists the first few, not thousands
_HEADERS = (["name1", "name2"], ["name1", "name2", "reference"])


def _name_problem(value: str, label: str) -> str | None:
    problem = name_problem(value)
    return f"{label} {problem}" if problem else None


def _clean_name(value: str, label: str) -> str:
    value = value.strip()
    if problem := _name_problem(value, label):
        raise ValidationError(problem[0].upper() + problem[1:] + ".")
    return value


def parse_batch_csv(data: bytes) -> list[dict]:
    """Parse and validate an uploaded ``name1,name2[,reference]`` file, all of it.

    Returns the rows as dicts; raises ValidationError listing the first problems by row number
    (the header is row 1, as in a spreadsheet). Blank lines are ignored."""
    if len(data) > BATCH_MAX_BYTES:
        raise ValidationError(f"The file is larger than {BATCH_MAX_BYTES // (1024 * 1024)} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"The file is not UTF-8 text (byte {exc.start}).") from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    errors: list[str] = []
    pairs: list[dict] = []
    header: list[str] | None = None
    row_no = 0
    try:
        for row in reader:
            row_no += 1
            if not row or all(not cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                if header not in _HEADERS:
                    raise ValidationError(
                        f"Row {row_no}: the header must be name1,name2 or name1,name2,reference (found {','.join(row)[:100]})."
                    )
                continue
            if len(row) != len(header):
                errors.append(f"Row {row_no}: expected {len(header)} columns, found {len(row)}.")
            else:
                name1, name2 = row[0].strip(), row[1].strip()
                reference = row[2].strip() if len(row) > 2 else ""
                problems = [p for p in (_name_problem(name1, "name1"), _name_problem(name2, "name2")) if p]
                if problem := text_problem(reference, max_length=MAX_REFERENCE_LENGTH):
                    problems.append(f"reference {problem}")
                if problems:
                    errors.append(f"Row {row_no}: {'; '.join(problems)}.")
                else:
                    pairs.append({"name1": name1, "name2": name2, "reference": reference})
            if len(pairs) + len(errors) > BATCH_MAX_ROWS:
                raise ValidationError(f"The file has more than {BATCH_MAX_ROWS:,} rows.")
            if len(errors) >= BATCH_MAX_ERRORS:
                break
    except csv.Error as exc:
        errors.append(f"Row {row_no + 1}: malformed CSV ({exc}).")
    if header is None:
        raise ValidationError("The file is empty: it needs the header name1,name2[,reference] and at least one row.")
    if errors:
        raise ValidationError(errors)
    if not pairs:
        raise ValidationError("The file has a header but no rows.")
    return pairs


class CompareForm(forms.Form):
    name1 = forms.CharField(label="First name", max_length=MAX_NAME_LENGTH, strip=True)
    name2 = forms.CharField(label="Second name", max_length=MAX_NAME_LENGTH, strip=True)

    def clean_name1(self) -> str:
        return _clean_name(self.cleaned_data["name1"], "name1")

    def clean_name2(self) -> str:
        return _clean_name(self.cleaned_data["name2"], "name2")


class BatchUploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Header name1,name2[,reference]; up to 50,000 rows.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > BATCH_MAX_BYTES:
            raise ValidationError(f"The file is larger than {BATCH_MAX_BYTES // (1024 * 1024)} MB.")
        self.pairs = parse_batch_csv(upload.read())
        return upload
