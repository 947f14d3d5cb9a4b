import pytest
from django.core.exceptions import ValidationError

from comparisons.forms import BATCH_MAX_ROWS, CompareForm, parse_batch_csv


def _errors(data: bytes) -> list[str]:
    with pytest.raises(ValidationError) as info:
        parse_batch_csv(data)
    return info.value.messages


class TestParseBatchCsv:
    def test_reads_rows_with_and_without_reference(self):
        assert parse_batch_csv(b"name1,name2\nAcme LLC,Acme Inc\n") == [
            {"name1": "Acme LLC", "name2": "Acme Inc", "reference": ""}
        ]
        rows = parse_batch_csv(
            '\ufeffName1,NAME2,reference\r\n"Acme, Inc.",Acme Inc,r-1\r\n\r\nBéla Kft,Bela Kft,r-2\r\n'.encode()
        )
        assert rows == [
            {"name1": "Acme, Inc.", "name2": "Acme Inc", "reference": "r-1"},
            {"name1": "Béla Kft", "name2": "Bela Kft", "reference": "r-2"},
        ]

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "The file is empty"),
            (b"a,b\nx,y\n", "Row 1: the header must be"),
            (b"name1,name2\n", "has a header but no rows"),
            (b"name1,name2\nAcme,Acme Inc\n,Acme\n", "Row 3: name1 is empty."),
            (b"name1,name2\nAcme,Acme Inc\nAcme\n", "Row 3: expected 2 columns, found 1."),
            (b"name1,name2\nAcme,Acme Inc,x\n", "Row 2: expected 2 columns, found 3."),
            (
                b"name1,name2\nAcme,Acme\x07 Inc\n",
                "Row 2: name2 contains a control or invisible character (U+0007 at position 4).",
            ),
            (
                b'name1,name2\nAcme,"Acme\nInc"\n',
                "Row 2: name2 contains a control or invisible character (U+000A at position 4).",
            ),
            (("name1,name2\nAcme," + "x" * 501 + "\n").encode(), "Row 2: name2 is longer than 500 characters (501)."),
            (("name1,name2,reference\nA,B," + "r" * 201 + "\n").encode(), "Row 2: reference is longer than 200"),
            (b"name1,name2\n\xff\xfe,x\n", "not UTF-8"),
            (b'name1,name2\nAcme,"Acme\n', "Row 2: malformed CSV"),
        ],
    )
    def test_names_the_row_and_the_problem(self, data, message):
        assert any(message in m for m in _errors(data)), _errors(data)

    def test_lists_several_bad_rows(self):
        messages = _errors(b"name1,name2\n,a\nok,ok\nb,\n")
        assert messages == ["Row 2: name1 is empty.", "Row 4: name2 is empty."]

    def test_refuses_more_rows_than_the_limit(self):
        data = ("name1,name2\n" + "a,b\n" * (BATCH_MAX_ROWS + 1)).encode()
        assert any("more than 50,000 rows" in m for m in _errors(data))


class TestCompareForm:
    def test_strips_and_accepts(self):
        form = CompareForm({"name1": " Acme LLC ", "name2": "Acme Inc"})
        assert form.is_valid()
        assert form.cleaned_data["name1"] == "Acme LLC"

    @pytest.mark.parametrize("bad", ["", "   ", "x" * 501, "Acme\x00"])
    def test_rejects(self, bad):
        assert not CompareForm({"name1": bad, "name2": "Acme"}).is_valid()
