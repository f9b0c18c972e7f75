"""A model's default ordering uses its own columns only. Ordering by a foreign key orders by the
related model's own ordering, so every default query joins tables it never reads (and a
`select_for_update().first()` locks their rows too); a page that shows rows in a related
model's order says so with an explicit order_by."""

import pytest
from django.apps import apps

OUR_APPS = ["questionbank", "assessments", "reports"]
MODELS = [model for label in OUR_APPS for model in apps.get_app_config(label).get_models()]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_default_ordering_never_traverses_a_relation(model):
    for name in model._meta.ordering:
        name = name.lstrip("-")
        assert "__" not in name, f"{model._meta.label} orders by {name}"
        if name == "pk":
            continue
        field = model._meta.get_field(name)
        is_relation_name = field.is_relation and name == field.name
        assert not is_relation_name, f"{model._meta.label} orders by {name}; use {name}_id"
