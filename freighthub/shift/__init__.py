"""Modal shift: scenario variants, mode and route choice under policy levers, comparison.

The one call for a comparison is :func:`compare_scenarios` (or :func:`compare_variant`
to compare a variant with its own base).
"""

from freighthub.shift.compare import (
    Comparison,
    MetricDelta,
    Resource,
    ServiceLoad,
    compare_scenarios,
    compare_variant,
)
from freighthub.shift.logit import (
    Nest,
    calibrate_constants,
    generalised_cost,
    multinomial_logit,
    nested_logit,
)
from freighthub.shift.resolve import ResolvedScenario, resolve_scenario

__all__ = [
    "Comparison",
    "MetricDelta",
    "Nest",
    "ResolvedScenario",
    "Resource",
    "ServiceLoad",
    "calibrate_constants",
    "compare_scenarios",
    "compare_variant",
    "generalised_cost",
    "multinomial_logit",
    "nested_logit",
    "resolve_scenario",
]
