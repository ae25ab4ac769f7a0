"""A variant's change models take their field types from the scenario models (issue #13):
a constraint (a range, a size cap) is written once, in the scenario schema, and a bad
value is named on the variant's own field."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, Field

from freighthub.model.fields import Frozen, Id, PositiveFloat
from freighthub.model.scenario_schema import HubResources, RoadLink, Service
from freighthub.model.sourced import Sourced
from freighthub.model.variant_schema import HubChange, RoadLinkChange, ServiceChange

#: (change model, the scenario model it changes, the key naming the changed item).
PAIRS = [(ServiceChange, Service, "id"), (HubChange, HubResources, "hub"), (RoadLinkChange, RoadLink, "id")]  # fmt: skip


@pytest.mark.parametrize(("change", "home", "key"), PAIRS)
def test_each_changed_field_has_the_scenario_field_type(
    change: type[BaseModel], home: type[BaseModel], key: str
) -> None:
    for name, field in change.model_fields.items():
        assert name in home.model_fields, (
            f"{change.__name__}.{name}: not a field of {home.__name__}"
        )
        own = home.model_fields[name]
        assert field.metadata == own.metadata, f"{change.__name__}.{name}"
        if name == key:
            assert field.annotation == own.annotation and field.is_required()
        else:  # optional in a change (not given: unchanged), same type otherwise
            assert field.annotation == (own.annotation | None), f"{change.__name__}.{name}"
            assert not field.is_required()


def test_the_check_sees_a_constraint_written_twice() -> None:
    class Looser(Frozen):  # the pre-#13 ServiceChange field: the size cap missing
        id: Id
        departures_per_week: Sourced[PositiveFloat] | None = None

    class Retyped(Frozen):  # the same rule written again is another type
        id: Id
        departures_per_week: Sourced[Annotated[float, Field(gt=0)]] | None = None

    for model in (Looser, Retyped):
        with pytest.raises(AssertionError, match="departures_per_week"):
            test_each_changed_field_has_the_scenario_field_type(model, Service, "id")
