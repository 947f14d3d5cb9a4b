"""The one filtering pattern: a FilterSet validates the query, the selector applies it, the schema documents it."""

import django_filters
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes

from legalname.common.filters import BooleanFilter, boolean_parse, filterset_apply, filterset_parameters


class UserFilter(django_filters.FilterSet):
    is_staff = BooleanFilter(help_text="staff only")
    joined = django_filters.DateFilter(field_name="date_joined", lookup_expr="date__gte")
    kind = django_filters.ChoiceFilter(choices=[("a", "A"), ("b", "B")], method=lambda qs, name, value: qs)

    class Meta:
        model = get_user_model()
        fields: list[str] = []


@pytest.mark.parametrize(
    "spelling, value",
    [
        ("true", True),
        ("True", True),
        ("1", True),
        ("yes", True),
        ("on", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("OFF", False),
        ("", None),
        ("unknown", None),
        (None, None),
        (True, True),
    ],
)
def test_boolean_spellings(spelling, value):
    assert boolean_parse(spelling) is value


def test_an_unknown_boolean_spelling_is_an_error_not_any():
    with pytest.raises(ValidationError):
        boolean_parse("maybe")


@pytest.mark.django_db
class TestFilterSetApply:
    def test_filters_with_typed_or_string_values(self, analyst, admin_user):
        queryset = get_user_model().objects.order_by("username")
        assert list(filterset_apply(filterset_class=UserFilter, data={"is_staff": "yes"}, queryset=queryset)) == [
            admin_user
        ]
        assert analyst in filterset_apply(filterset_class=UserFilter, data={"is_staff": False}, queryset=queryset)
        assert filterset_apply(filterset_class=UserFilter, data=None, queryset=queryset).count() == queryset.count()

    @pytest.mark.parametrize(
        "query, field",
        [({"is_staff": "maybe"}, "is_staff"), ({"joined": "yesterday"}, "joined"), ({"kind": "c"}, "kind")],
    )
    def test_a_bad_value_raises_naming_the_field(self, query, field):
        with pytest.raises(ValidationError) as raised:
            filterset_apply(filterset_class=UserFilter, data=query, queryset=get_user_model().objects.all())
        assert set(raised.value.message_dict) == {field}


def test_parameters_carry_type_enum_and_description():
    parameters = {p.name: p for p in filterset_parameters(UserFilter)}
    assert set(parameters) == {"is_staff", "joined", "kind"}
    assert parameters["is_staff"].type == OpenApiTypes.BOOL and parameters["is_staff"].description == "staff only"
    assert parameters["joined"].type == OpenApiTypes.DATE
    assert parameters["kind"].enum == ["a", "b"]
    assert all(p.location == "query" and not p.required for p in parameters.values())
