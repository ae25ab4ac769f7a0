"""Modal shift: mode and route choice under policy levers."""

from freighthub.shift.logit import (
    Nest,
    calibrate_constants,
    generalised_cost,
    multinomial_logit,
    nested_logit,
)

__all__ = [
    "Nest",
    "calibrate_constants",
    "generalised_cost",
    "multinomial_logit",
    "nested_logit",
]
